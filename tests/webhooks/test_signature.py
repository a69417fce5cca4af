"""Every delivery is signed like Zoom's, checked here with the standard library's hmac (not the
module under test): x-zm-signature = v0= hex HMAC-SHA256(secret, "v0:{x-zm-request-timestamp}:{body}");
the legacy verification token comes as `authorization`, the delivery id as x-zm-trackingid."""

import hashlib
import hmac
import json
import time
import uuid

import pytest

from webhooks import delivery as sender
from webhooks.events import emit
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_receiver_can_verify_the_signature(receiver, subscribed):
    subscription = subscribed()
    emit(subscription.account, "meeting.started", {"id": 9, "topic": "Ünïcode"})
    assert sender.attempt(Delivery.objects.get().pk) == "delivered"
    [(headers, body)] = receiver.requests
    timestamp = headers["x-zm-request-timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    expected = hmac.new(subscription.secret_token.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    assert headers["x-zm-signature"] == "v0=" + expected.hexdigest()
    assert headers["authorization"] == subscription.verification_token
    assert uuid.UUID(headers["x-zm-trackingid"]) == Delivery.objects.get().delivery_id
    event = json.loads(body)
    assert event["event"] == "meeting.started" and abs(event["event_ts"] / 1000 - time.time()) < 60
    assert event["payload"] == {"account_id": subscription.account.public_id,
                                "object": {"id": 9, "topic": "Ünïcode"}}


def test_a_tampered_body_does_not_verify(receiver, subscribed):
    subscription = subscribed()
    emit(subscription.account, "meeting.started", {"id": 9})
    sender.attempt(Delivery.objects.get().pk)
    [(headers, body)] = receiver.requests
    forged = body.replace(b'"id":9', b'"id":10')
    digest = hmac.new(subscription.secret_token.encode(), f"v0:{headers['x-zm-request-timestamp']}:".encode() + forged,
                      hashlib.sha256).hexdigest()
    assert headers["x-zm-signature"] != "v0=" + digest
