"""meeting_authentication with authentication_domains trusts an address only once it is verified:
anyone can sign up as mallory@trusted.example, but cannot open the verification link sent there."""

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


def sign_up(client, email):
    return client.post("/accounts/signup/", {"email": email, "display_name": "X", "password1": "correct horse battery",
                                             "password2": "correct horse battery"})


def test_an_unverified_address_does_not_count_for_authentication_domains(client, api, create_meeting, joiner):
    sign_up(client, "mallory@trusted.example")
    mallory = User.objects.get(email="mallory@trusted.example")
    created = create_meeting(password="", settings={"join_before_host": True, "meeting_authentication": True,
                                                    "authentication_domains": "trusted.example"})
    answer = joiner(mallory).join(created["id"])
    assert answer["state"] == "denied" and answer["reason"] == "authentication_required"
    assert "verify" in answer["message"].lower()
    mallory.email_verified = True
    mallory.save()
    assert joiner(mallory).join(created["id"])["state"] == "admitted"
