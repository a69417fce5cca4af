"""A subscription goes active only when its URL answers Zoom's endpoint.url_validation challenge with
HMAC-SHA256(secret, plainToken); a new URL is validated again; an internal destination is refused."""

import pytest

from webhooks import subscriptions
from webhooks.models import Subscription

pytestmark = pytest.mark.django_db


def test_a_receiver_holding_the_secret_makes_it_active(receiver, subscribed):
    subscription = subscribed()
    assert subscription.status == Subscription.Status.ACTIVE
    assert receiver.requests == []  # the challenge is not an event delivery


def test_create_validates_and_a_wrong_answer_leaves_it_pending(receiver, make_user):
    receiver.answer_validation = False
    with pytest.raises(subscriptions.ValidationFailed, match="did not match"):
        subscriptions.create_subscription(make_user().account, receiver.url, ["meeting.started"])
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_a_new_url_is_validated_again(receiver, subscribed):
    subscription = subscribed()
    receiver.answer_validation = False
    with pytest.raises(subscriptions.ValidationFailed):
        subscriptions.update_subscription(subscription, receiver.url + "/v2", ["meeting.started"])
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING and subscription.url.endswith("/v2")
    receiver.answer_validation = True
    assert subscriptions.enable(subscription).status == Subscription.Status.ACTIVE
    # the same URL with other events keeps it active without a new challenge
    receiver.answer_validation = False
    subscriptions.update_subscription(subscription, subscription.url, ["meeting.ended"])
    assert Subscription.objects.get().status == Subscription.Status.ACTIVE


def test_unknown_events_are_refused(receiver, make_user):
    with pytest.raises(subscriptions.ConferError, match="Unknown event: meeting.exploded"):
        subscriptions.create_subscription(make_user().account, receiver.url, ["meeting.exploded"])


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://127.0.0.1:6379/",
                                 "http://10.0.0.1/hook"])
def test_an_internal_destination_is_refused(make_user, settings, url):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    with pytest.raises(subscriptions.ValidationFailed, match="not allowed"):
        subscriptions.create_subscription(make_user().account, url, ["meeting.started"])
    assert Subscription.objects.get().status == Subscription.Status.PENDING
