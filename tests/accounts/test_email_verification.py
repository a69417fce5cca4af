"""Sign-up does not reveal which addresses exist, and a self-registered address counts (for
authentication_domains, invitations by user id) only once its owner opened the verification link."""

import re

import pytest
from django.core import mail

from accounts.models import AuditEvent, User
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FORM = {"display_name": "X", "password1": "correct horse battery", "password2": "correct horse battery"}


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    def post(client, email):
        with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after commit
            return client.post("/accounts/signup/", {"email": email, **FORM})

    return post


def test_sign_up_answers_the_same_for_new_and_existing_addresses(make_user, client, sign_up):
    make_user(email="taken@example.com")
    new, taken = sign_up(client, "fresh@example.com"), sign_up(client, "TAKEN@example.com")
    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"] == "/accounts/signup/sent/"
    page = client.get("/accounts/signup/sent/").content.decode()
    assert "Check your email" in page and "already exists" not in page
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert client.get("/accounts/profile/").status_code == 302  # nobody was signed in
    # each address gets a message; only the owner of the mailbox learns which kind
    assert sorted(m.to[0] for m in mail.outbox) == ["fresh@example.com", "taken@example.com"]
    assert "already has an account" in next(m.body for m in mail.outbox if m.to == ["taken@example.com"])


def test_the_verification_link_verifies_the_address(client, sign_up):
    sign_up(client, "fresh@example.com")
    user = User.objects.get(email="fresh@example.com")
    assert user.email_verified is False
    link = re.search(r"http://[^/]+(/accounts/verify/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified is True
    assert AuditEvent.objects.filter(action="email.verified", actor=user).exists()
    assert client.get("/accounts/verify/garbage/").status_code == 400


def test_a_password_reset_proves_the_mailbox(client, sign_up):
    sign_up(client, "fresh@example.com")
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": "fresh@example.com"})
    link = re.search(r"http://[^/]+(/accounts/password/reset/[^/]+/[^/]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": PASSWORD + "x", "new_password2": PASSWORD + "x"})
    assert User.objects.get(email="fresh@example.com").email_verified is True
