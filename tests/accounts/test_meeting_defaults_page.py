"""POST /accounts/profile/meeting-defaults/: saves through accounts.user_settings, refuses bad input
with a message on the field (400, never a 500), needs CSRF and a signed-in user."""

import pytest
from django.test import Client

from accounts import user_settings

pytestmark = pytest.mark.django_db

URL = "/accounts/profile/meeting-defaults/"
VALID = {"waiting_room": "on", "host_video": "on", "require_password": "on", "auto_recording": "cloud"}


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_saves_the_defaults_and_unchecked_boxes_are_off(make_user):
    user = make_user(email="d@example.com")
    response = signed_in(user).post(URL, VALID)
    assert response.status_code == 302
    saved = user_settings.settings_object(user)
    assert saved["in_meeting"]["waiting_room"] is True and saved["schedule_meeting"]["host_video"] is True
    assert saved["schedule_meeting"]["participants_video"] is False
    assert saved["recording"]["auto_recording"] == "cloud"
    assert user_settings.meeting_defaults(user, 2)["waiting_room"] is True


def test_a_bad_value_is_shown_on_its_field(make_user):
    user = make_user(email="d@example.com")
    response = signed_in(user).post(URL, {**VALID, "auto_recording": "tape"})
    assert response.status_code == 400
    assert 'data-field="auto_recording"' in response.content.decode()
    assert "Select a valid choice" in response.content.decode()
    assert user_settings.settings_object(user)["recording"]["auto_recording"] == "none"


def test_needs_csrf_and_a_signed_in_user(make_user):
    user = make_user(email="d@example.com")
    assert signed_in(user, enforce_csrf_checks=True).post(URL, VALID).status_code == 403
    assert Client().post(URL, VALID).status_code == 302  # to the sign-in page
    assert user_settings.settings_object(user)["in_meeting"]["waiting_room"] is False
