"""Sign-up page: a new user owning a new account, signed in at once."""

import pytest

from accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def test_sign_up_creates_an_owner_of_a_new_account(client):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200 and "Create an account" in page.content.decode()
    response = client.post("/accounts/signup/", {"email": "New.Person@Example.com", "display_name": "New Person",
                                                 "password1": "correct horse battery", "password2": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    user = User.objects.get(email="new.person@example.com")
    assert user.role == "owner" and user.account.users.count() == 1
    assert user.check_password("correct horse battery")
    assert not user.password.startswith("correct")  # hashed with Django's hashers
    assert client.get("/accounts/profile/").status_code == 200
    assert AuditEvent.objects.filter(action="user.signed_up", actor=user).exists()


def test_existing_email_in_any_case_is_refused(make_user, client):
    make_user(email="taken@example.com")
    response = client.post("/accounts/signup/", {"email": "TAKEN@example.com", "display_name": "",
                                                 "password1": "correct horse battery", "password2": "correct horse battery"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_weak_or_mismatched_passwords_are_refused(client):
    weak = client.post("/accounts/signup/", {"email": "w@example.com", "password1": "123", "password2": "123"})
    assert weak.status_code == 200 and "too short" in weak.content.decode()
    mismatch = client.post("/accounts/signup/", {"email": "w@example.com", "password1": "correct horse battery",
                                                 "password2": "correct horse batterz"})
    assert mismatch.status_code == 200 and not User.objects.filter(email="w@example.com").exists()
