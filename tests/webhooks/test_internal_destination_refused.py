"""Deliveries obey the outbound policy at connect time: an endpoint on an internal address (cloud
metadata, our own Redis) is never contacted; the refusal is recorded and not retried."""

import pytest

from webhooks.delivery import attempt
from webhooks.events import emit
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://127.0.0.1:6379/",
                                 "http://[::1]:8088/janus", "http://10.0.0.1/hook"])
def test_internal_webhook_endpoints_are_never_contacted(make_user, settings, url):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    owner = make_user()
    Subscription.objects.create(account=owner.account, url=url, status="active")
    emit(owner.account, "meeting.started", {"id": 1})  # the test's transaction never commits: no task
    delivery = Delivery.objects.get()
    assert attempt(delivery.pk) == "refused"
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == 1 and delivery.last_error.startswith("refused:")
    assert delivery.next_attempt_at is None  # never again


def test_an_allowed_receiver_still_gets_it(receiver, subscribed):
    subscription = subscribed()
    emit(subscription.account, "meeting.started", {"id": 1})
    assert attempt(Delivery.objects.get().pk) == "delivered"
    assert receiver.events() == ["meeting.started"]
