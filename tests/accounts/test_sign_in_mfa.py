"""Signing in once MFA is on: password, then a TOTP or a one-time backup code."""

import pytest
from django_otp.plugins.otp_static.models import StaticToken

from accounts import services
from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(make_user):
    """A user with a confirmed authenticator; returns (user, secret, backup codes)."""
    user = make_user(email="mfa@example.com")
    enrolment = services.start_mfa_enrolment(user)
    _, codes = services.confirm_mfa_enrolment(user, totp_code(enrolment.secret))
    return user, enrolment.secret, codes


def password_step(client, email, next_url="/accounts/profile/"):
    return client.post("/accounts/login/", {"username": email, "password": PASSWORD, "next": next_url})


def is_signed_in(client) -> bool:
    return client.get("/accounts/profile/").status_code == 200


def test_password_alone_does_not_sign_in(enrolled, client):
    user, _, _ = enrolled
    response = password_step(client, user.email)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/mfa/")
    assert not is_signed_in(client)


def test_totp_code_completes_sign_in_on_the_page(enrolled, client):
    user, secret, _ = enrolled
    step = password_step(client, user.email)
    page = client.get(step["Location"])
    assert page.status_code == 200 and "authenticator app" in page.content.decode()
    # the next time step: the current one was spent confirming the enrolment
    response = client.post("/accounts/login/mfa/", {"code": totp_code(secret, steps_ahead=1),
                                                    "next": "/accounts/profile/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert is_signed_in(client)
    assert client.session.get("otp_device_id")  # the session is OTP-verified
    assert AuditEvent.objects.filter(action="auth.login", actor=user).exists()


def test_backup_code_through_the_json_endpoint_works_once(enrolled, client):
    user, _, codes = enrolled
    password_step(client, user.email)
    response = client.post("/auth/mfa/verify", {"code": codes[0]}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "signed_in" and response.json()["backup_codes_left"] == 9
    assert is_signed_in(client)
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    client.logout()
    password_step(client, user.email)
    reused = client.post("/auth/mfa/verify", {"code": codes[0]}, content_type="application/json")
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_code"
    assert not is_signed_in(client)


def test_wrong_code_is_refused_and_audited(enrolled, client):
    user, _, _ = enrolled
    password_step(client, user.email)
    response = client.post("/accounts/login/mfa/", {"code": "000000"})
    assert response.status_code == 200 and "not valid" in response.content.decode()
    assert not is_signed_in(client)
    event = AuditEvent.objects.filter(action="auth.login_failed", target_id=str(user.pk)).latest("id")
    assert event.details["stage"] == "mfa"


def test_mfa_page_without_password_step_sends_back_to_sign_in(client):
    response = client.get("/accounts/login/mfa/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_users_without_mfa_sign_in_with_the_password(make_user, client):
    user = make_user()
    response = password_step(client, user.email.upper())  # email case does not matter
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert is_signed_in(client)


def test_wrong_password_shows_an_error(make_user, client):
    user = make_user()
    response = client.post("/accounts/login/", {"username": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed", details__email=user.email).exists()


def test_next_cannot_point_off_site(make_user, client):
    user = make_user()
    response = password_step(client, user.email, next_url="https://evil.example.com/")
    assert response["Location"] == "/"
