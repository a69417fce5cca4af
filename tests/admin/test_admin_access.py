"""Only staff verified with a second factor reach the admin: anonymous visitors are sent to sign in,
a non-staff user and staff whose session has no verified second factor are refused, on the index
and on a model's pages alike."""

import pytest

from accounts import services
from tests.admin.helpers import PASSWORD, sign_in_with_mfa, totp_code

pytestmark = pytest.mark.django_db

PAGES = ("/admin/", "/admin/meetings/meeting/", "/admin/accounts/auditevent/", "/admin/recordings/cloudrecording/")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for page in PAGES:
        response = client.get(page, follow=True)  # via /admin/login/, which hands over to our sign-in page
        assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
        assert response.status_code == 200 and b'name="password"' in response.content, page


def test_a_user_who_is_not_staff_is_refused_even_with_mfa(make_user, client):
    sign_in_with_mfa(client, make_user(email="member@example.com"))
    for page in PAGES:
        response = client.get(page, follow=True)
        assert response.status_code == 403, page
        assert "not a staff account" in response.content.decode()


def test_staff_without_a_second_factor_get_nothing_but_enrolment(make_user, client):
    staff = make_user(email="staff@example.com", is_staff=True, is_superuser=True)
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == "/accounts/security/mfa/", page


def test_staff_with_mfa_but_a_session_not_verified_by_it_are_refused(make_user, client):
    staff = make_user(email="staff@example.com", is_staff=True, is_superuser=True)
    enrolment = services.start_mfa_enrolment(staff)
    services.confirm_mfa_enrolment(staff, totp_code(enrolment.secret))
    client.force_login(staff)  # a password-only session: no OTP device verified in it
    for page in PAGES:
        response = client.get(page, follow=True)
        assert response.status_code == 403, page
        assert "second factor" in response.content.decode()


def test_verified_staff_get_in(admin_client):
    for page in PAGES:
        assert admin_client.get(page).status_code == 200, page
