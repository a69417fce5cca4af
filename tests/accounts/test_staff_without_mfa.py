"""Staff without a second factor get no session beyond MFA enrolment: /admin/ sends them to
enrolment with a word of why (it used to loop admin -> admin login -> sign-in -> admin)."""

import pytest

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user(email="staff@example.com", is_staff=True, is_superuser=True)


def test_admin_sends_staff_without_mfa_to_enrolment(staff, client):
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/security/mfa/"
    assert len(response.redirect_chain) <= 3
    assert "must use two-factor authentication" in response.content.decode()


def test_staff_without_mfa_reach_nothing_but_enrolment(staff, client):
    client.post("/accounts/login/", {"username": staff.email, "password": PASSWORD})
    for page in ("/meetings/", "/accounts/profile/", "/accounts/security/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == "/accounts/security/mfa/", page
    assert client.get("/accounts/security/mfa/").status_code == 200


def test_a_signed_in_non_staff_user_gets_an_answer_not_a_loop(make_user, client):
    client.force_login(make_user())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "not a staff account" in response.content.decode()
