"""POST /meetings/personal-room (the profile's "Personal meeting room" card): changes the PMI room's
passcode and main settings through schedule.update_meeting; a bad passcode is refused with a message,
CSRF and sign-in required; the card shows the room's link."""

import pytest
from django.test import Client

from meetings.models import Meeting

pytestmark = pytest.mark.django_db

URL = "/meetings/personal-room"


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_the_profile_shows_the_room_and_saving_changes_it(make_user):
    user = make_user(email="p@example.com")
    client = signed_in(user)
    page = client.get("/accounts/profile/").content.decode()
    assert f"/j/{user.pmi}" in page and 'data-copy="pmi-link"' in page
    response = client.post(URL, {"password": "abc123", "waiting_room": "on", "participant_video": "on"})
    assert response.status_code == 302
    room = Meeting.objects.get(pk=user.pmi)
    assert room.personal and room.password == "abc123"
    assert room.settings["waiting_room"] is True and room.settings["participant_video"] is True
    assert room.settings["host_video"] is False and room.settings["mute_upon_entry"] is False


def test_a_bad_passcode_is_refused_with_a_message(make_user):
    user = make_user(email="p@example.com")
    client = signed_in(user)
    before = Meeting.objects.personal(user).password
    response = client.post(URL, {"password": "no spaces!"}, follow=True)
    assert "Passcode: A passcode has at most 10 characters" in response.content.decode()
    assert Meeting.objects.get(pk=user.pmi).password == before


def test_needs_csrf_and_a_signed_in_user(make_user):
    user = make_user(email="p@example.com")
    assert signed_in(user, enforce_csrf_checks=True).post(URL, {"password": "x"}).status_code == 403
    assert Client().post(URL, {"password": "x"}).status_code == 302
    assert not Meeting.objects.filter(pk=user.pmi, password="x").exists()
