"""Redeliver in the webhook deliveries' admin hands the delivery to the real delivery task (a Celery
worker): one that gave up is sent again and marked delivered; one already delivered is sent once more
as a new delivery."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from meetings.models import WebhookDelivery, WebhookEndpoint
from meetings.webhooks import signature
from tests.admin.helpers import admin_path
from tests.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks", received
    server.shutdown()
    server.server_close()


def test_redeliver_sends_again_through_the_delivery_task(celery_worker, admin_client, make_user, receiver):
    url, received = receiver
    endpoint = WebhookEndpoint.objects.create(account=make_user().account, url=url, events=["meeting.ended"])
    body = {"event": "meeting.ended", "event_ts": 1, "payload": {"account_id": "x", "object": {"id": 1}}}
    gave_up = WebhookDelivery.objects.create(endpoint=endpoint, event="meeting.ended", payload=body, attempts=8,
                                             last_status=503, last_error="HTTP 503")

    response = admin_client.post(admin_path(WebhookDelivery), {"action": "redeliver",
                                                               "_selected_action": [str(gave_up.pk)]})
    assert response.status_code == 302

    wait_until(lambda: WebhookDelivery.objects.get(pk=gave_up.pk).delivered_at, timeout=60, message="the redelivery")
    gave_up.refresh_from_db()
    assert gave_up.attempts == 9 and gave_up.last_status == 200 and gave_up.last_error == ""
    [(headers, sent)] = received
    assert json.loads(sent) == body
    assert headers["x-zm-signature"] == signature(endpoint.secret_token, headers["x-zm-request-timestamp"], sent)

    # Delivered already: sent once more, as a new delivery of the same event.
    admin_client.post(admin_path(WebhookDelivery), {"action": "redeliver", "_selected_action": [str(gave_up.pk)]})
    wait_until(lambda: len(received) == 2, timeout=60, message="the second delivery")
    again = WebhookDelivery.objects.exclude(pk=gave_up.pk).get()
    assert again.endpoint == endpoint and again.payload == body
    wait_until(lambda: WebhookDelivery.objects.get(pk=again.pk).delivered_at, timeout=30, message="its record")
    assert json.loads(received[1][1]) == body
