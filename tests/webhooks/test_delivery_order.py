"""Per subscription, one meeting's events go out in event order: a later one waits while an earlier
one is pending, and goes once that is delivered or given up. Other meetings are not held up."""

import json
from datetime import timedelta

import pytest

from webhooks import delivery as sender
from webhooks.events import emit
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def test_a_later_event_of_the_same_meeting_waits_for_the_earlier(receiver, subscribed):
    subscription = subscribed()
    receiver.status = 503
    emit(subscription.account, "meeting.started", {"id": 7})
    emit(subscription.account, "meeting.ended", {"id": 7})
    emit(subscription.account, "meeting.started", {"id": 8})
    started, ended, other = Delivery.objects.order_by("pk")
    now = started.next_attempt_at + timedelta(seconds=1)
    assert sender.attempt(started.pk, now=now) == "retrying"
    receiver.status = 200
    assert sender.attempt(ended.pk, now=now) == "waiting"
    assert sender.attempt(other.pk, now=now) == "delivered"  # another meeting goes ahead
    started.refresh_from_db()
    assert sender.attempt(started.pk, now=started.next_attempt_at) == "delivered"
    assert sender.next_in_line(started.pk) == ended.pk  # released: the task queues it at once
    assert sender.attempt(ended.pk, now=started.next_attempt_at) == "delivered"
    sent = [(json.loads(body)["event"], json.loads(body)["payload"]["object"]["id"]) for _, body in receiver.requests]
    # the refused first try of meeting 7, meeting 8 meanwhile, then meeting 7 in order
    assert sent == [("meeting.started", 7), ("meeting.started", 8), ("meeting.started", 7), ("meeting.ended", 7)]


def test_a_given_up_event_releases_the_next(receiver, subscribed):
    subscription = subscribed()
    emit(subscription.account, "meeting.started", {"id": 7})
    emit(subscription.account, "meeting.ended", {"id": 7})
    started, ended = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=started.pk).update(state="failed", next_attempt_at=None)
    assert sender.attempt(ended.pk, now=ended.next_attempt_at) == "delivered"
