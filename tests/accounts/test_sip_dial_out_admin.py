"""An operator turns SIP dial-out on for an account and edits its allow-list in Django admin; a bad
rule is refused with the line named."""

import pytest

from accounts import services
from accounts.models import Account
from tests.accounts.conftest import PASSWORD, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user, client):
    staff = make_user(email="operator@example.com", is_staff=True, is_superuser=True)
    enrolment = services.start_mfa_enrolment(staff)
    services.confirm_mfa_enrolment(staff, totp_code(enrolment.secret))
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})
    client.post("/accounts/login/mfa/", {"code": totp_code(enrolment.secret, 1)})
    return client


def test_dial_out_is_edited_in_admin(admin_client, make_user):
    customer = make_user(email="owner@customer.example").account
    page = admin_client.get(f"/admin/accounts/account/{customer.pk}/change/")
    assert page.status_code == 200
    assert b'name="sip_dial_out"' in page.content and b'name="sip_dial_out_allowed"' in page.content
    form = {"name": customer.name, "sip_dial_out": "on", "sip_dial_out_allowed": "sip.example.com\r\n+1555*",
            "users-TOTAL_FORMS": "1", "users-INITIAL_FORMS": "1", "users-MIN_NUM_FORMS": "0",
            "users-MAX_NUM_FORMS": "1000", "users-0-id": str(customer.users.get().pk),
            "users-0-account": str(customer.pk)}
    saved = admin_client.post(f"/admin/accounts/account/{customer.pk}/change/", form)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    customer.refresh_from_db()
    assert customer.sip_dial_out and customer.sip_dial_out_allowed.split() == ["sip.example.com", "+1555*"]

    refused = admin_client.post(f"/admin/accounts/account/{customer.pk}/change/",
                                {**form, "sip_dial_out_allowed": "sip.example.com\r\n*.com."})
    assert refused.status_code == 200 and "“*.com.”".encode() in refused.content
    customer.refresh_from_db()
    assert customer.sip_dial_out_allowed.split() == ["sip.example.com", "+1555*"]


def test_new_accounts_cannot_dial_out():
    assert Account.objects.create(name="new").sip_dial_out is False
