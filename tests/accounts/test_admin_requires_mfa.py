"""Staff must use MFA: Django admin opens only to OTP-verified sessions; the audit log is read-only."""

import pytest

from accounts import services
from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user(email="staff@example.com", is_staff=True, is_superuser=True)


def test_staff_without_mfa_are_sent_to_set_it_up(staff, client):
    response = client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/security/mfa/"
    admin = client.get("/admin/")  # nothing but enrolment until MFA is on (test_staff_without_mfa.py)
    assert admin.status_code == 302 and admin["Location"] == "/accounts/security/mfa/"


def test_admin_opens_after_mfa(staff, client):
    enrolment = services.start_mfa_enrolment(staff)
    services.confirm_mfa_enrolment(staff, totp_code(enrolment.secret))
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD, "next": "/admin/"})
    response = client.post("/accounts/login/mfa/", {"code": totp_code(enrolment.secret, 1), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    for page in ("/admin/accounts/user/?q=staff", "/admin/accounts/account/", "/admin/accounts/auditevent/",
                 "/admin/oauth2_provider/application/", "/admin/oauth2_provider/accesstoken/"):
        assert client.get(page).status_code == 200, page


def test_password_only_session_is_not_enough_for_admin(staff, client):
    client.force_login(staff)  # signed in, but not OTP-verified
    assert client.get("/admin/").status_code == 302


def test_audit_log_is_read_only_in_admin(staff, client):
    enrolment = services.start_mfa_enrolment(staff)
    services.confirm_mfa_enrolment(staff, totp_code(enrolment.secret))
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})
    client.post("/accounts/login/mfa/", {"code": totp_code(enrolment.secret, 1)})
    event = AuditEvent.objects.filter(action="mfa.enrolled").get()
    assert client.get(f"/admin/accounts/auditevent/{event.pk}/change/").status_code == 200  # view only
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
