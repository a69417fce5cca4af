"""Webhook deliveries obey the outbound policy at connect time: an endpoint on an internal address
(cloud metadata, our own Redis) is never contacted, and the refusal is recorded, not retried."""

import http.server
import threading

import pytest

from meetings.models import WebhookDelivery, WebhookEndpoint
from meetings.tasks import deliver_webhook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://127.0.0.1:6379/",
                                 "http://[::1]:8088/janus", "http://10.0.0.1/hook"])
def test_internal_webhook_endpoints_are_never_contacted(make_user, settings, url):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    owner = make_user()
    endpoint = WebhookEndpoint.objects.create(account=owner.account, url=url)
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="meeting.started", payload={"event": "x"})
    assert deliver_webhook.apply(args=[delivery.pk]).get() == "refused"
    delivery.refresh_from_db()
    assert delivery.delivered_at is None and delivery.attempts == 1
    assert delivery.last_error.startswith("refused:")


def test_an_allowed_receiver_still_gets_it(make_user, settings):
    hits = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
        endpoint = WebhookEndpoint.objects.create(account=make_user().account,
                                                  url=f"http://127.0.0.1:{server.server_port}/hook")
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="meeting.started", payload={"event": "x"})
        assert deliver_webhook.apply(args=[delivery.pk]).get() == "delivered"
        assert len(hits) == 1
    finally:
        server.shutdown()
