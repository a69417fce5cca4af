"""Password change (signed in) and reset by email link."""

import re

import pytest
from django.core import mail

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_change_password(make_user, client):
    user = make_user()
    client.force_login(user)
    response = client.post("/accounts/password/change/", {"old_password": PASSWORD,
                                                           "new_password1": "another long password",
                                                           "new_password2": "another long password"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/change/done/"
    user.refresh_from_db()
    assert user.check_password("another long password")
    assert AuditEvent.objects.filter(action="password.changed", actor=user).exists()


def test_wrong_old_password_is_refused(make_user, client):
    user = make_user()
    client.force_login(user)
    response = client.post("/accounts/password/change/", {"old_password": "nope", "new_password1": "x" * 12,
                                                           "new_password2": "x" * 12})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_by_email_link(make_user, client):
    user = make_user(email="forgetful@example.com")
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["forgetful@example.com"]
    link = re.search(r"http://[^/]+(/accounts/password/reset/[^/]+/[^/]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "brand new password",
                                                         "new_password2": "brand new password"})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password("brand new password")
    assert AuditEvent.objects.filter(action="password.reset", actor=user).exists()


def test_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and mail.outbox == []
