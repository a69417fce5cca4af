"""The notification choices on the settings (profile) page: shown with the defaults, saved, CSRF."""

import pytest
from django.test import Client

from notifications.models import NotificationSettings

pytestmark = pytest.mark.django_db


def test_choices_are_shown_and_saved(host):
    browser = Client()
    browser.force_login(host)
    page = browser.get("/accounts/profile/").content.decode()
    assert 'action="/settings/notifications"' in page and '<option value="10" selected>' in page
    response = browser.post("/settings/notifications", {"reminder_minutes": "30"})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    saved = NotificationSettings.objects.get(user=host)
    assert saved.reminder_minutes == 30 and saved.cancellation_notices is False  # unticked box
    assert browser.post("/settings/notifications", {"reminder_minutes": "7"}).status_code == 302
    assert NotificationSettings.objects.get(user=host).reminder_minutes == 30  # refused


def test_needs_sign_in_post_and_csrf(host):
    assert Client().post("/settings/notifications", {"reminder_minutes": "0"}).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(host)
    assert strict.post("/settings/notifications", {"reminder_minutes": "0"}).status_code == 403
    assert strict.get("/settings/notifications").status_code == 405
