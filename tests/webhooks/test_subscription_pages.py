"""The webhook pages: an account's owner and admins add (the URL validated), edit, regenerate tokens
(shown once), delete, read the delivery log and redeliver; members and other accounts cannot."""

import re

import pytest
from django.test import Client

from webhooks.delivery import attempt
from webhooks.events import emit
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def owner(make_user):
    return make_user()


def test_the_owner_adds_an_endpoint_copies_the_secret_and_validates(receiver, owner):
    client = signed_in(owner)
    page = client.get("/settings/webhooks/")
    assert page.status_code == 200 and b"Add an endpoint" in page.content
    # the receiver does not know the new secret yet: the first validation fails, the tokens are shown once
    response = client.post("/settings/webhooks/", {"url": receiver.url, "events": ["meeting.started", "recording.started"]})
    subscription = Subscription.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/settings/webhooks/{subscription.pk}/"
    assert subscription.status == "pending" and subscription.events == ["meeting.started", "recording.started"]
    detail = client.get(response["Location"]).content.decode()
    assert subscription.secret_token in detail and subscription.verification_token in detail
    assert subscription.secret_token not in client.get(response["Location"]).content.decode()  # only once
    # the person copies the secret into the receiver and validates
    receiver.secret = re.search(r'<code class="secret">([^<]+)</code>', detail).group(1)
    response = client.post(f"/settings/webhooks/{subscription.pk}/validate/", follow=True)
    assert b"receives events now" in response.content
    subscription.refresh_from_db()
    assert subscription.status == "active"


def test_a_failed_validation_is_explained_and_the_subscription_stays_pending(receiver, owner):
    receiver.answer_validation = False
    client = signed_in(owner)
    response = client.post("/settings/webhooks/", {"url": receiver.url, "events": ["meeting.started"]}, follow=True)
    assert b"did not match the secret token" in response.content
    assert Subscription.objects.get().status == "pending"


def test_bad_input_gets_a_friendly_message(owner):
    response = signed_in(owner).post("/settings/webhooks/", {"url": "not a url", "events": ["meeting.exploded"]})
    assert response.status_code == 200 and b"Enter a valid URL" in response.content
    assert not Subscription.objects.exists()


def test_the_delivery_log_shows_the_answer_and_redeliver_sends_again(receiver, subscribed, owner):
    subscription = subscribed()
    user = subscription.account.users.get()
    receiver.status = 500
    emit(subscription.account, "meeting.started", {"id": 1})
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(give_up_at=delivery.next_attempt_at)
    assert attempt(delivery.pk, now=delivery.next_attempt_at) == "failed"
    client = signed_in(user)
    page = client.get(f"/settings/webhooks/{subscription.pk}/").content.decode()
    assert "meeting.started" in page and "<code>500</code>" in page and "receiver says no" in page and "Redeliver" in page
    response = client.post(f"/settings/webhooks/{subscription.pk}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 302
    assert Delivery.objects.get().state == "pending"


def test_edit_regenerate_and_delete(receiver, subscribed):
    subscription = subscribed()
    client = signed_in(subscription.account.users.get())
    client.post(f"/settings/webhooks/{subscription.pk}/", {"url": subscription.url, "events": ["meeting.ended"]})
    subscription.refresh_from_db()
    assert subscription.events == ["meeting.ended"] and subscription.status == "active"
    old_secret = subscription.secret_token
    response = client.post(f"/settings/webhooks/{subscription.pk}/tokens/", follow=True)
    subscription.refresh_from_db()
    assert subscription.secret_token != old_secret and subscription.status == "pending"
    assert subscription.secret_token.encode() in response.content
    client.post(f"/settings/webhooks/{subscription.pk}/delete/")
    assert not Subscription.objects.exists()


def test_members_and_other_accounts_are_refused(receiver, subscribed, make_user):
    subscription = subscribed()
    member = make_user(account=subscription.account, role="member")
    assert signed_in(member).get("/settings/webhooks/").status_code == 403
    stranger = signed_in(make_user())
    assert stranger.get(f"/settings/webhooks/{subscription.pk}/").status_code == 404
    assert stranger.post(f"/settings/webhooks/{subscription.pk}/delete/").status_code == 404
    emit(subscription.account, "meeting.started", {"id": 1})
    delivery = Delivery.objects.get()
    assert stranger.post(f"/settings/webhooks/{subscription.pk}/deliveries/{delivery.pk}/redeliver/").status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_forms_need_the_csrf_token(subscribed):
    subscription = subscribed()
    client = signed_in(subscription.account.users.get(), enforce_csrf_checks=True)
    assert client.post(f"/settings/webhooks/{subscription.pk}/delete/").status_code == 403
    assert Subscription.objects.filter(pk=subscription.pk).exists()
