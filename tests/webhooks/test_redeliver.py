"""A manual redeliver sends the same body with the same x-zm-trackingid again, with a new day of
retries; it is refused for a subscription that is not active."""

import pytest

from webhooks import delivery as sender
from webhooks import subscriptions
from webhooks.events import emit
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def test_redeliver_sends_the_same_delivery_again(receiver, subscribed, django_capture_on_commit_callbacks):
    subscription = subscribed()
    receiver.status = 500
    emit(subscription.account, "meeting.started", {"id": 3})
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(give_up_at=delivery.next_attempt_at)  # gives up at once
    assert sender.attempt(delivery.pk, now=delivery.next_attempt_at) == "failed"
    receiver.status = 200
    with django_capture_on_commit_callbacks() as queued:
        redelivered = subscriptions.redeliver(Delivery.objects.get())
    assert redelivered.state == "pending" and redelivered.give_up_at > redelivered.next_attempt_at
    assert len(queued) == 1  # the task goes after commit
    assert sender.attempt(delivery.pk, now=redelivered.next_attempt_at) == "delivered"
    (first_headers, first_body), (again_headers, again_body) = receiver.requests
    assert first_body == again_body
    assert first_headers["x-zm-trackingid"] == again_headers["x-zm-trackingid"] == str(delivery.delivery_id)


def test_redeliver_needs_an_active_subscription(receiver, subscribed):
    subscription = subscribed()
    emit(subscription.account, "meeting.started", {"id": 3})
    subscription.status = "disabled"
    subscription.save()
    with pytest.raises(subscriptions.ConferError, match="not active"):
        subscriptions.redeliver(Delivery.objects.get())
