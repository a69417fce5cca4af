"""The security page: MFA enrolment with a QR code, backup codes, tokens, OAuth applications."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.models import get_access_token_model, get_application_model

from accounts import services
from accounts.models import AuditEvent
from tests.accounts.conftest import totp_code
from tests.conftest import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(make_user, client):
    user = make_user()
    client.force_login(user)
    return user


def test_enrol_with_the_qr_code_page(signed_in, client):
    page = client.get("/accounts/security/mfa/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page  # inline QR code: no network needed
    secret = re.search(r'<code class="secret">([A-Z2-7=]+)</code>', page).group(1)
    response = client.post("/accounts/security/mfa/", {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    assert TOTPDevice.objects.get(user=signed_in).confirmed
    security = client.get("/accounts/security/").content.decode()
    assert "Your backup codes" in security
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", security)) == 10
    assert "Your backup codes" not in client.get("/accounts/security/").content.decode()  # shown once


def test_wrong_code_keeps_the_same_secret(signed_in, client):
    page = client.get("/accounts/security/mfa/").content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7=]+)</code>', page).group(1)
    again = client.post("/accounts/security/mfa/", {"code": "12"}).content.decode()
    assert "not valid" in again and secret in again


def test_turning_mfa_off_needs_a_current_code(signed_in, client):
    enrolment = services.start_mfa_enrolment(signed_in)
    services.confirm_mfa_enrolment(signed_in, totp_code(enrolment.secret))
    client.post("/accounts/security/mfa/disable/", {"code": "wrongcode"})  # (a backup-code guess)
    assert services.has_mfa(signed_in)
    client.post("/accounts/security/mfa/disable/", {"code": totp_code(enrolment.secret, 1)})
    assert not services.has_mfa(signed_in)
    assert AuditEvent.objects.filter(action="mfa.removed", actor=signed_in).exists()


def test_new_backup_codes_replace_the_old_ones(signed_in, client):
    enrolment = services.start_mfa_enrolment(signed_in)
    _, old_codes = services.confirm_mfa_enrolment(signed_in, totp_code(enrolment.secret))
    client.post("/accounts/security/mfa/backup-codes/")
    page = client.get("/accounts/security/").content.decode()
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert services.verify_mfa_code(signed_in, old_codes[0]) is None


def test_register_a_server_application_shows_its_secret_once(signed_in, client):
    response = client.post("/accounts/security/applications/", {"name": "Billing sync", "kind": "server"})
    assert response.status_code == 302
    app = get_application_model().objects.get(user=signed_in)
    page = client.get("/accounts/security/").content.decode()
    secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    assert app.client_id in page and signed_in.account.public_id in page
    assert app.client_secret != secret and app.client_secret.startswith("pbkdf2_sha256$")
    assert secret not in client.get("/accounts/security/").content.decode()
    assert AuditEvent.objects.filter(action="oauth_application.created", actor=signed_in).exists()


def test_web_application_needs_a_redirect_uri(signed_in, client):
    page = client.post("/accounts/security/applications/", {"name": "Web", "kind": "web"}, follow=True)
    assert "needs a redirect URI" in page.content.decode()
    assert not get_application_model().objects.filter(user=signed_in).exists()
    bad = client.post("/accounts/security/applications/", {"name": "Web", "kind": "web",
                                                           "redirect_uris": "javascript:alert(1)"}, follow=True)
    assert bad.status_code == 200 and not get_application_model().objects.filter(user=signed_in).exists()


def test_deleting_an_application_kills_its_tokens(signed_in, client, make_app):
    app, _ = make_app(signed_in, kind="server")
    issue_token(signed_in, "user:read", application=app)
    client.post(f"/accounts/security/applications/{app.pk}/delete/")
    assert not get_application_model().objects.filter(pk=app.pk).exists()
    assert not get_access_token_model().objects.filter(user=signed_in).exists()


def test_tokens_are_listed_and_revocable(signed_in, client):
    issue_token(signed_in, "meeting:read")
    token = get_access_token_model().objects.get(user=signed_in)
    page = client.get("/accounts/security/").content.decode()
    assert "meeting:read" in page and f"/accounts/security/tokens/{token.pk}/revoke/" in page
    client.post(f"/accounts/security/tokens/{token.pk}/revoke/")
    assert not get_access_token_model().objects.filter(pk=token.pk).exists()


def test_security_page_needs_sign_in(client):
    assert client.get("/accounts/security/").status_code == 302
