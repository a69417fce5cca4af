"""An account's endpoint may belong to one of its OAuth applications, chosen on the webhook page: its
deliveries carry the application's client id as `clientid` (as Zoom's app event subscriptions do).
Another account's application cannot be chosen."""

import pytest
from django.test import Client

from accounts import services as accounts_services
from webhooks.delivery import attempt
from webhooks.events import emit
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_endpoint_for_one_of_the_accounts_applications(receiver, make_user):
    owner = make_user()
    application, _ = accounts_services.create_application(owner, "Calendar sync", "server")
    client = signed_in(owner)
    page = client.get("/settings/webhooks/").content.decode()
    assert "Calendar sync" in page and "OAuth application" in page

    receiver.secret = "unknown-yet"  # validation fails; the subscription stays pending with its application
    response = client.post("/settings/webhooks/", {"url": receiver.url, "events": ["meeting.started"],
                                                   "application": application.pk})
    subscription = Subscription.objects.get()
    assert response.status_code == 302 and subscription.application == application
    assert application.client_id in client.get(response["Location"]).content.decode()
    assert "Calendar sync" in client.get("/settings/webhooks/").content.decode()

    subscription.status = Subscription.Status.ACTIVE
    subscription.save()
    emit(owner.account, "meeting.started", {"id": 7})
    assert attempt(Delivery.objects.get().pk) == "delivered"
    [(headers, _)] = receiver.requests
    assert headers["clientid"] == application.client_id


def test_without_an_application_no_clientid_is_sent(receiver, make_user):
    owner = make_user()
    receiver.secret = "unknown-yet"
    signed_in(owner).post("/settings/webhooks/", {"url": receiver.url, "events": ["meeting.started"]})
    subscription = Subscription.objects.get()
    assert subscription.application is None
    subscription.status = Subscription.Status.ACTIVE
    subscription.save()
    emit(owner.account, "meeting.started", {"id": 7})
    attempt(Delivery.objects.get().pk)
    [(headers, _)] = receiver.requests
    assert "clientid" not in {name.lower() for name in headers}


def test_another_accounts_application_is_refused(receiver, make_user):
    owner, stranger = make_user(), make_user()
    theirs, _ = accounts_services.create_application(stranger, "Not yours", "server")
    page = signed_in(owner).get("/settings/webhooks/").content.decode()
    assert "Not yours" not in page
    response = signed_in(owner).post("/settings/webhooks/", {"url": receiver.url, "events": ["meeting.started"],
                                                             "application": theirs.pk})
    assert response.status_code == 200 and b"Select a valid choice" in response.content
    assert not Subscription.objects.exists()
