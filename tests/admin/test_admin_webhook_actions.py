"""The webhook admin's actions go through webhooks.subscriptions and webhooks.delivery: redeliver hands
a delivery to the real delivery task (a Celery worker) with its body and delivery id; a subscription
can be validated and enabled (the real URL validation handshake), disabled (pending deliveries fail),
and given new tokens (it must validate again)."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from tests.admin.helpers import admin_path
from tests.conftest import wait_until
from webhooks.models import Delivery, Subscription
from webhooks.signing import signature

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """A webhook receiver on loopback: answers the URL validation with `secret`, records deliveries."""

    def __init__(self):
        self.secret = ""
        self.deliveries: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                event = json.loads(body)
                reply = b"ok"
                if event["event"] == "endpoint.url_validation":
                    plain = event["payload"]["plainToken"]
                    encrypted = hmac.new(receiver.secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
                    reply = json.dumps({"plainToken": plain, "encryptedToken": encrypted}).encode()
                else:
                    receiver.deliveries.append((dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    server = Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


def act(client, model, action, objects):
    response = client.post(admin_path(model), {"action": action, "_selected_action": [str(o.pk) for o in objects]},
                           follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def failed_delivery(subscription) -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(
        subscription=subscription, event="meeting.ended", event_ts=int(now.timestamp() * 1000), meeting_key="1",
        body={"event": "meeting.ended", "event_ts": 1, "payload": {"account_id": "a", "object": {"id": 1}}},
        state="failed", attempts=12, last_status=503, last_error="HTTP 503", give_up_at=now)


def test_redeliver_sends_the_same_delivery_again(celery_worker, admin_client, make_user, receiver):
    subscription = Subscription.objects.create(account=make_user().account, url=receiver.url, status="active")
    gave_up = failed_delivery(subscription)

    said = act(admin_client, Delivery, "redeliver", [gave_up])

    assert any("Queued 1 delivery" in m for m in said)
    wait_until(lambda: Delivery.objects.get(pk=gave_up.pk).state == "delivered", timeout=60, message="the redelivery")
    gave_up.refresh_from_db()
    assert gave_up.last_status == 200 and gave_up.delivered_at is not None and gave_up.attempts == 13
    [(headers, body)] = receiver.deliveries
    assert json.loads(body) == gave_up.body and headers["x-zm-trackingid"] == str(gave_up.delivery_id)
    assert headers["x-zm-signature"] == signature(subscription.secret_token, headers["x-zm-request-timestamp"], body)


def test_redeliver_is_refused_for_a_subscription_not_active(admin_client, make_user, receiver):
    subscription = Subscription.objects.create(account=make_user().account, url=receiver.url, status="disabled")
    gave_up = failed_delivery(subscription)

    said = act(admin_client, Delivery, "redeliver", [gave_up])

    assert any("not active" in m for m in said) and any("Queued 0" in m for m in said)
    gave_up.refresh_from_db()
    assert gave_up.state == "failed" and receiver.deliveries == []


def test_validate_disable_and_regenerate_tokens(admin_client, make_user, receiver):
    subscription = Subscription.objects.create(account=make_user().account, url=receiver.url)
    receiver.secret = subscription.secret_token
    assert subscription.status == "pending"

    said = act(admin_client, Subscription, "validate_and_enable", [subscription])
    subscription.refresh_from_db()
    assert subscription.status == "active" and any("validated, active" in m for m in said)

    pending = failed_delivery(subscription)
    Delivery.objects.filter(pk=pending.pk).update(state="pending")
    said = act(admin_client, Subscription, "disable", [subscription])
    subscription.refresh_from_db()
    assert subscription.status == "disabled" and subscription.disabled_reason == "Disabled by an operator."
    assert Delivery.objects.get(pk=pending.pk).state == "failed"

    old_secret, old_verification = subscription.secret_token, subscription.verification_token
    act(admin_client, Subscription, "regenerate_tokens", [subscription])
    subscription.refresh_from_db()
    assert subscription.status == "pending"
    assert subscription.secret_token != old_secret and subscription.verification_token != old_verification

    said = act(admin_client, Subscription, "validate_and_enable", [subscription])  # the receiver has the old secret
    subscription.refresh_from_db()
    assert subscription.status == "pending" and any("did not match" in m for m in said)
