"""Changing or resetting the password, or removing MFA, ends the user's API tokens and their other
sessions (the session that made the change stays signed in)."""

import re

import pytest
from django.core import mail
from django.test import Client
from oauth2_provider.models import get_access_token_model

from accounts import services
from tests.accounts.conftest import PASSWORD, totp_code
from tests.conftest import ZoomAPIClient, issue_token

pytestmark = pytest.mark.django_db
AccessToken = get_access_token_model()


def bearer(raw):
    client = ZoomAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def signed_in(user):
    other = Client()
    other.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert other.get("/accounts/profile/").status_code == 200
    return other


def test_a_password_change_kills_the_users_tokens_and_other_sessions(make_user, client):
    user = make_user()
    bystander = make_user()
    raw, kept = issue_token(user, "user:read"), issue_token(bystander, "user:read")
    elsewhere = signed_in(user)
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    response = client.post("/accounts/password/change/", {"old_password": PASSWORD,
                                                           "new_password1": "another long password",
                                                           "new_password2": "another long password"})
    assert response.status_code == 302
    assert bearer(raw).get("/v2/users/me").status_code == 401
    assert not AccessToken.objects.filter(user=user).exists()
    assert bearer(kept).get("/v2/users/me").status_code == 200
    assert elsewhere.get("/accounts/profile/").status_code == 302
    assert client.get("/accounts/profile/").status_code == 200  # the session that changed it


def test_a_password_reset_kills_the_users_tokens(make_user, client):
    user = make_user(email="reset@example.com")
    raw = issue_token(user, "user:read")
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"http://[^/]+(/accounts/password/reset/[^/]+/[^/]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "brand new password",
                                                  "new_password2": "brand new password"})
    assert bearer(raw).get("/v2/users/me").status_code == 401


def test_removing_mfa_kills_the_users_tokens_and_other_sessions(make_user, client):
    user = make_user()
    enrolment = services.start_mfa_enrolment(user)
    services.confirm_mfa_enrolment(user, totp_code(enrolment.secret))
    raw = issue_token(user, "user:read")
    elsewhere = Client()
    elsewhere.force_login(user)
    client.force_login(user)
    response = client.post("/accounts/security/mfa/disable/", {"code": totp_code(enrolment.secret, 1)})
    assert response.status_code == 302 and not services.has_mfa(user)
    assert bearer(raw).get("/v2/users/me").status_code == 401
    assert elsewhere.get("/accounts/profile/").status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
