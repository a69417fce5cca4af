"""django-axes lockout after repeated failures: passwords, MFA codes, and OAuth client secrets."""

import pytest

from accounts import services
from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD, basic, totp_code

pytestmark = pytest.mark.django_db


def fail_password(client, email, times):
    for _ in range(times):
        client.post("/accounts/login/", {"username": email, "password": "wrong-password"})


def test_locked_out_after_five_wrong_passwords_even_with_the_right_one(make_user, client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    user = make_user()
    fail_password(client, user.email, 4)
    assert client.post("/accounts/login/", {"username": user.email, "password": "wrong"}).status_code == 429
    locked = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert locked["Retry-After"] == str(15 * 60)
    assert client.get("/accounts/profile/").status_code == 302  # not signed in
    assert AuditEvent.objects.filter(action="auth.locked_out", details__email=user.email).exists()


def test_lockout_is_per_user_and_address(make_user, client):
    victim, other = make_user(), make_user()
    fail_password(client, victim.email, 5)
    response = client.post("/accounts/login/", {"username": other.email, "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_mfa_codes_lead_to_the_same_lockout(make_user, client):
    user = make_user()
    enrolment = services.start_mfa_enrolment(user)
    services.confirm_mfa_enrolment(user, totp_code(enrolment.secret))
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    answers = [client.post("/auth/mfa/verify", {"code": "zzzzzzzz"}, content_type="application/json")
               for _ in range(5)]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429]
    assert answers[-1].json()["error"] == "locked_out"
    # now even the right code is refused
    right = client.post("/auth/mfa/verify", {"code": totp_code(enrolment.secret, 1)}, content_type="application/json")
    assert right.status_code == 429
    assert client.get("/accounts/profile/").status_code == 302


def test_token_endpoint_locks_out_a_client_after_bad_secrets(make_user, make_app, client):
    app, secret = make_app(make_user(), kind="server")
    headers = {"HTTP_AUTHORIZATION": basic(app.client_id, "wrong")["Authorization"]}
    statuses = [client.post("/auth/oauth/token", "grant_type=client_credentials",
                            content_type="application/x-www-form-urlencoded", **headers).status_code
                for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    right = client.post("/auth/oauth/token", "grant_type=client_credentials",
                        content_type="application/x-www-form-urlencoded",
                        HTTP_AUTHORIZATION=basic(app.client_id, secret)["Authorization"])
    assert right.status_code == 429
    assert right.json()["error"] == "locked_out"
    assert AuditEvent.objects.filter(action="oauth.client_auth_failed", details__client_id=app.client_id).count() == 5


def test_changing_the_emails_case_does_not_dodge_the_lockout(make_user, client):
    user = make_user(email="case@example.com")
    for email in ("CASE@example.com", "Case@Example.com", "case@EXAMPLE.com", "cAse@example.com", "case@example.COM"):
        client.post("/accounts/login/", {"username": email, "password": "wrong"})
    assert client.post("/accounts/login/", {"username": user.email, "password": PASSWORD}).status_code == 429
