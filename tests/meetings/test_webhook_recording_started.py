"""Webhook recording.started (seed W1): signed like Zoom, delivered by a real Celery worker, retried."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import wait_until
from webhooks.delivery import attempt
from webhooks.models import Delivery, Subscription
from webhooks.signing import signature

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
    endpoint = Subscription.objects.create(account=host.account, url=hook.url, events=["recording.started"], status="active")
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
    wait_until(lambda: Delivery.objects.get().delivered_at, timeout=30, message="the delivery record")
    assert len(hook.requests) == 1  # only the subscribed event


def test_failed_deliveries_are_retried(celery_worker, receiver, api, create_meeting, host, joiner):
    hook = receiver(failures=1)
    Subscription.objects.create(account=host.account, url=hook.url, events=["recording.started"], status="active")
    start_recording(api, create_meeting, host, joiner, auto_recording="none")
    wait_until(lambda: Delivery.objects.filter(event="recording.started", attempts=1, last_status=503).exists(),
               timeout=60, message="the failed first attempt")
    delivery = Delivery.objects.get(event="recording.started")
    assert delivery.state == "pending" and delivery.next_attempt_at > delivery.last_attempt_at
    # the retry, when it is due (the beat sweep's job; here with the clock at the due time)
    assert attempt(delivery.pk, now=delivery.next_attempt_at) == "delivered"
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.last_status == 200
    bodies = [body for _, body in hook.requests]
    assert [json.loads(body)["event"] for body in bodies] == ["recording.started"] * 2 and bodies[0] == bodies[1]
    assert hook.requests[0][0]["x-zm-trackingid"] == hook.requests[1][0]["x-zm-trackingid"] == str(delivery.delivery_id)


def test_a_delivered_event_is_not_sent_again(celery_worker, receiver, api, create_meeting, host, joiner):
    hook = receiver()
    Subscription.objects.create(account=host.account, url=hook.url, events=["recording.started"], status="active")
    start_recording(api, create_meeting, host, joiner)
    wait_until(lambda: Delivery.objects.filter(delivered_at__isnull=False).exists(), timeout=60,
               message="the delivery")
    assert attempt(Delivery.objects.get().pk) == "skipped"
    assert len(hook.requests) == 1


def test_other_accounts_and_inactive_endpoints_get_nothing(receiver, api, create_meeting, host, joiner, make_user):
    hook = receiver()
    Subscription.objects.create(account=make_user().account, url=hook.url, status="active")
    Subscription.objects.create(account=host.account, url=hook.url, status="disabled")
    subscribed = Subscription.objects.create(account=host.account, url=hook.url, events=["meeting.started"], status="active")
    start_recording(api, create_meeting, host, joiner)
    assert list(Delivery.objects.values_list("subscription", "event")) == [(subscribed.pk, "meeting.started")]
