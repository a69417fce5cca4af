"""The account's recording settings on the Recordings page: owners and admins turn per-participant
audio files on and off (CSRF-protected form); members neither see nor post it."""

import pytest
from django.test import Client

from recordings.models import AccountRecordingSettings

pytestmark = pytest.mark.django_db


def signed_in(user, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_the_owner_turns_participant_audio_on_and_off(host):
    owner = signed_in(host)
    page = owner.get("/recordings/").content.decode()
    assert 'name="record_audio_file_each_participant">' in page  # off by default
    response = owner.post("/recordings/settings", {"record_audio_file_each_participant": "on"})
    assert response.status_code == 302 and response["Location"] == "/recordings/"
    assert AccountRecordingSettings.for_account(host.account_id).record_audio_file_each_participant is True
    assert 'name="record_audio_file_each_participant" checked>' in owner.get("/recordings/").content.decode()
    owner.post("/recordings/settings", {})
    assert AccountRecordingSettings.for_account(host.account_id).record_audio_file_each_participant is False


def test_members_cannot_change_it(host, make_user):
    member = make_user(account=host.account, role="member")
    client = signed_in(member)
    assert "record_audio_file_each_participant" not in client.get("/recordings/").content.decode()
    assert client.post("/recordings/settings", {"record_audio_file_each_participant": "on"}).status_code == 403
    assert AccountRecordingSettings.for_account(host.account_id).record_audio_file_each_participant is False


def test_the_form_needs_its_csrf_token(host):
    assert signed_in(host, csrf=True).post("/recordings/settings", {"record_audio_file_each_participant": "on"}).status_code == 403
    assert Client().post("/recordings/settings").status_code == 302  # sign in first
