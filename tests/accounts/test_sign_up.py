"""Sign-up page: a new user owning a new account, confirmed by the e-mailed link
(test_email_verification.py: the answer never says whether the address exists)."""

import pytest

from accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def test_sign_up_creates_an_owner_of_a_new_account(client):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200 and "Create an account" in page.content.decode()
    response = client.post("/accounts/signup/", {"email": "New.Person@Example.com", "display_name": "New Person",
                                                 "password1": "correct horse battery", "password2": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    user = User.objects.get(email="new.person@example.com")
    assert not user.email_verified
    assert user.role == "owner" and user.account.users.count() == 1
    assert user.check_password("correct horse battery")
    assert not user.password.startswith("correct")  # hashed with Django's hashers
    assert client.post("/accounts/login/", {"username": user.email, "password": "correct horse battery"}).status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    assert AuditEvent.objects.filter(action="user.signed_up", actor=user).exists()


def test_existing_email_in_any_case_creates_nothing(make_user, client):
    make_user(email="taken@example.com")
    response = client.post("/accounts/signup/", {"email": "TAKEN@example.com", "display_name": "",
                                                 "password1": "correct horse battery", "password2": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert User.objects.get(email="taken@example.com").check_password("a-long-test-password")


def test_weak_or_mismatched_passwords_are_refused(client):
    weak = client.post("/accounts/signup/", {"email": "w@example.com", "password1": "123", "password2": "123"})
    assert weak.status_code == 200 and "too short" in weak.content.decode()
    mismatch = client.post("/accounts/signup/", {"email": "w@example.com", "password1": "correct horse battery",
                                                 "password2": "correct horse batterz"})
    assert mismatch.status_code == 200 and not User.objects.filter(email="w@example.com").exists()
