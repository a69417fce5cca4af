"""Webhook recording.started (seed W1): signed like Zoom, delivered by a real Celery worker, retried."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from meetings.models import WebhookDelivery, WebhookEndpoint
from meetings.tasks import deliver_webhook
from meetings.webhooks import signature
from tests.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """A local HTTP server standing in for the customer's webhook endpoint."""

    def __init__(self, failures: int = 0):
        self.requests = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                failing = len(receiver.requests) <= receiver.failures
                self.send_response(503 if failing else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/zoom/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    servers = []

    def make(failures=0):
        servers.append(Receiver(failures))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def start_recording(api, create_meeting, host, joiner, **settings):
    created = create_meeting(password="", topic="Board meeting", duration=30, settings=settings)
    joiner(host).join(created["id"])
    response = api.patch(f"/v2/live_meetings/{created['id']}/events", {"method": "recording.start"}, format="json")
    assert response.status_code == 202
    return created


def test_recording_started_is_delivered_signed(celery_worker, receiver, api, create_meeting, host, joiner):
    hook = receiver()
    endpoint = WebhookEndpoint.objects.create(account=host.account, url=hook.url, events=["recording.started"])
    created = start_recording(api, create_meeting, host, joiner)

    wait_until(lambda: hook.requests, timeout=60, message="the webhook delivery")
    headers, body = hook.requests[0]
    timestamp = headers["x-zm-request-timestamp"]
    assert headers["x-zm-signature"] == signature(endpoint.secret_token, timestamp, body)
    event = json.loads(body)
    assert event["event"] == "recording.started" and isinstance(event["event_ts"], int)
    assert event["payload"]["account_id"] == host.account.public_id  # the public id, not the database key
    obj = event["payload"]["object"]
    assert obj["id"] == created["id"] and obj["uuid"] == created["uuid"] and obj["host_id"] == host.public_id
    assert obj["topic"] == "Board meeting" and obj["type"] == 2 and obj["duration"] == 30
    assert obj["recording_file"]["recording_start"]
    wait_until(lambda: WebhookDelivery.objects.get().delivered_at, timeout=30, message="the delivery record")
    assert len(hook.requests) == 1  # only the subscribed event


def test_failed_deliveries_are_retried(celery_worker, receiver, api, create_meeting, host, joiner):
    hook = receiver(failures=1)
    WebhookEndpoint.objects.create(account=host.account, url=hook.url, events=["recording.started"])
    start_recording(api, create_meeting, host, joiner, auto_recording="none")
    wait_until(lambda: WebhookDelivery.objects.filter(event="recording.started", delivered_at__isnull=False).exists(),
               timeout=60, message="the retried delivery")
    delivery = WebhookDelivery.objects.get(event="recording.started")
    assert delivery.attempts == 2 and delivery.last_status == 200
    assert [json.loads(body)["event"] for _, body in hook.requests] == ["recording.started"] * 2


def test_a_delivered_event_is_not_sent_again(celery_worker, receiver, api, create_meeting, host, joiner):
    hook = receiver()
    WebhookEndpoint.objects.create(account=host.account, url=hook.url, events=["recording.started"])
    start_recording(api, create_meeting, host, joiner)
    wait_until(lambda: WebhookDelivery.objects.filter(delivered_at__isnull=False).exists(), timeout=60,
               message="the delivery")
    assert deliver_webhook(WebhookDelivery.objects.get().pk) == "skipped"
    assert len(hook.requests) == 1


def test_other_accounts_and_inactive_endpoints_get_nothing(receiver, api, create_meeting, host, joiner, make_user):
    hook = receiver()
    WebhookEndpoint.objects.create(account=make_user().account, url=hook.url)
    WebhookEndpoint.objects.create(account=host.account, url=hook.url, active=False)
    subscribed = WebhookEndpoint.objects.create(account=host.account, url=hook.url, events=["meeting.started"])
    start_recording(api, create_meeting, host, joiner)
    assert list(WebhookDelivery.objects.values_list("endpoint", "event")) == [(subscribed.pk, "meeting.started")]
