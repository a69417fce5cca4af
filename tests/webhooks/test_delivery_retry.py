"""Failed deliveries are retried with exponential backoff and jitter, and given up a day after the
event; the clock is held by passing `now` (what the beat sweep does with the real one)."""

import random
from datetime import timedelta

import pytest

from webhooks import delivery as sender
from webhooks.events import emit
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def test_backoff_doubles_with_jitter_up_to_a_cap():
    rng = random.Random(7)
    for attempts in range(1, 20):
        ceiling = min(timedelta(hours=2), timedelta(seconds=30) * 2 ** (attempts - 1))
        waits = [sender.backoff(attempts, rng) for _ in range(50)]
        assert all(ceiling / 2 <= wait < ceiling for wait in waits)
        assert len(set(waits)) > 1  # jittered, not one fixed instant
    assert sender.backoff(3, random.Random(1)) != sender.backoff(3, random.Random(2))


def test_a_failing_receiver_is_retried_until_it_answers(receiver, subscribed):
    subscription = subscribed()
    receiver.status = 503
    emit(subscription.account, "meeting.started", {"id": 5})
    delivery = Delivery.objects.get()
    now = delivery.next_attempt_at
    assert sender.attempt(delivery.pk, now=now) == "retrying"
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.last_status == 503
    assert delivery.last_response.startswith("receiver says no") and len(delivery.last_response) == 1024
    first_wait = delivery.next_attempt_at - now
    assert timedelta(seconds=15) <= first_wait < timedelta(seconds=30)
    # not due yet: nothing is sent
    assert sender.attempt(delivery.pk, now=now + first_wait / 2) == "skipped"
    assert sender.due_deliveries(now=now + first_wait / 2) == []
    assert sender.due_deliveries(now=delivery.next_attempt_at) == [delivery.pk]
    assert sender.attempt(delivery.pk, now=delivery.next_attempt_at) == "retrying"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at - delivery.last_attempt_at >= timedelta(seconds=30)  # doubled
    receiver.status = 200
    assert sender.attempt(delivery.pk, now=delivery.next_attempt_at) == "delivered"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_response) == ("delivered", 3, 200, "ok")
    assert delivery.duration_ms is not None and delivery.next_attempt_at is None
    assert len(receiver.requests) == 3 and len({body for _, body in receiver.requests}) == 1


def test_a_delivery_is_given_up_a_day_after_the_event(receiver, subscribed):
    subscription = subscribed()
    receiver.status = 500
    emit(subscription.account, "meeting.started", {"id": 5})
    delivery = Delivery.objects.get()
    outcomes = []
    while delivery.state == "pending":
        outcomes.append(sender.attempt(delivery.pk, now=delivery.next_attempt_at))
        delivery.refresh_from_db()
    assert outcomes[-1] == "failed" and set(outcomes[:-1]) == {"retrying"}
    assert delivery.last_attempt_at < delivery.give_up_at
    assert delivery.last_attempt_at - delivery.created_at > timedelta(hours=20)  # kept trying for most of the day
    assert 10 < delivery.attempts < 40  # backoff, not a hammering
    assert len(receiver.requests) == delivery.attempts


def test_a_delivery_in_flight_is_not_sent_twice(receiver, subscribed):
    subscription = subscribed()
    emit(subscription.account, "meeting.started", {"id": 5})
    delivery = Delivery.objects.get()
    # another worker claimed it a moment ago (the lease), then this one comes along
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.next_attempt_at + sender.LEASE)
    assert sender.attempt(delivery.pk, now=delivery.next_attempt_at) == "skipped"
    assert receiver.requests == []
