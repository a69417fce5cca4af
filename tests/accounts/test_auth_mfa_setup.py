"""POST /auth/mfa/setup and enrolment confirmation through POST /auth/mfa/verify."""

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from tests.accounts.conftest import secret_from_uri, totp_code
from tests.conftest import ZoomAPIClient, issue_token

pytestmark = pytest.mark.django_db


def test_setup_returns_an_otpauth_uri_and_an_inline_qr_code(make_user, client):
    user = make_user(email="ada@example.com")
    client.force_login(user)
    response = client.post("/auth/mfa/setup")
    assert response.status_code == 200
    body = response.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/Confer%3Aada%40example.com?secret=")
    assert "issuer=Confer" in body["otpauth_uri"]
    assert body["secret"] == secret_from_uri(body["otpauth_uri"])
    assert body["qr_code"].startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(body["qr_code"].split(",", 1)[1])
    assert body["confirmed"] is False
    assert not TOTPDevice.objects.get(user=user).confirmed


def test_first_valid_code_confirms_and_returns_backup_codes(make_user, client):
    user = make_user()
    client.force_login(user)
    secret = client.post("/auth/mfa/setup").json()["secret"]
    response = client.post("/auth/mfa/verify", {"code": totp_code(secret, steps_ahead=1)},
                           content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "enrolled"
    assert len(body["backup_codes"]) == 10 and len(set(body["backup_codes"])) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    assert AuditEvent.objects.filter(action="mfa.enrolled", actor=user).count() == 1


def test_a_wrong_code_does_not_confirm(make_user, client):
    # (django-otp then throttles the device briefly, so a right code is tried in the test above)
    user = make_user()
    client.force_login(user)
    secret = client.post("/auth/mfa/setup").json()["secret"]
    wrong_code = f"{(int(totp_code(secret)) + 1) % 1000000:06d}"
    wrong = client.post("/auth/mfa/verify", {"code": wrong_code}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_code"
    assert not TOTPDevice.objects.get(user=user).confirmed
    assert not AuditEvent.objects.filter(action="mfa.enrolled").exists()


def test_setup_twice_is_a_conflict_once_enrolled(make_user, client):
    user = make_user()
    client.force_login(user)
    secret = client.post("/auth/mfa/setup").json()["secret"]
    client.post("/auth/mfa/verify", {"code": totp_code(secret)}, content_type="application/json")
    again = client.post("/auth/mfa/setup")
    assert again.status_code == 409 and again.json()["error"] == "mfa_already_enabled"


def test_restarting_setup_replaces_the_unconfirmed_secret(make_user, client):
    user = make_user()
    client.force_login(user)
    first = client.post("/auth/mfa/setup").json()["secret"]
    second = client.post("/auth/mfa/setup").json()["secret"]
    assert first != second
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_setup_needs_a_signed_in_session_not_an_api_token(make_user):
    user = make_user()
    api = ZoomAPIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, 'user:read')}")
    assert api.post("/auth/mfa/setup").status_code == 401
    assert ZoomAPIClient().post("/auth/mfa/setup").status_code == 401
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_verify_without_code_or_context(make_user, client):
    missing = client.post("/auth/mfa/verify", {}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    nothing_pending = client.post("/auth/mfa/verify", {"code": "123456"}, content_type="application/json")
    assert nothing_pending.status_code == 400 and nothing_pending.json()["error"] == "no_pending_sign_in"
