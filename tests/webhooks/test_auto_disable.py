"""An endpoint that fails every delivery for a whole day is disabled, its pending deliveries are
given up, and the account's owner is told by e-mail; a success in between resets the day."""

from datetime import timedelta

import pytest
from django.core import mail

from webhooks import delivery as sender
from webhooks.events import emit
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


def fail_once(subscription, meeting_id, now):
    emit(subscription.account, "meeting.started", {"id": meeting_id})
    delivery = Delivery.objects.filter(subscription=subscription).order_by("-pk").first()
    # as if emitted at `now` (the test's clock): its own day of retries starts there
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now, give_up_at=now + sender.GIVE_UP_AFTER)
    return sender.attempt(delivery.pk, now=now)


def test_a_day_of_failures_disables_the_endpoint_and_mails_the_owner(receiver, subscribed, django_capture_on_commit_callbacks):
    subscription = subscribed()
    owner = subscription.account.users.get()
    receiver.status = 500
    start = subscription.updated_at
    assert fail_once(subscription, 1, start + timedelta(seconds=1)) == "retrying"
    assert fail_once(subscription, 2, start + timedelta(hours=23)) == "retrying"
    subscription.refresh_from_db()
    assert subscription.status == "active" and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert fail_once(subscription, 3, start + timedelta(hours=24, seconds=2)) == "retrying"
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.DISABLED and "24 hours" in subscription.disabled_reason
    assert not Delivery.objects.filter(state="pending").exists()
    [message] = mail.outbox
    assert message.to == [owner.email] and receiver.url in message.body
    # a disabled endpoint gets no new events
    assert emit(subscription.account, "meeting.started", {"id": 4}) == 0


def test_a_success_resets_the_day(receiver, subscribed):
    subscription = subscribed()
    start = subscription.updated_at
    receiver.status = 500
    fail_once(subscription, 1, start + timedelta(seconds=1))
    receiver.status = 200
    assert fail_once(subscription, 2, start + timedelta(hours=12)) == "delivered"
    receiver.status = 500
    fail_once(subscription, 3, start + timedelta(hours=13))
    assert fail_once(subscription, 4, start + timedelta(hours=25)) == "retrying"
    subscription.refresh_from_db()
    assert subscription.status == "active" and mail.outbox == []
