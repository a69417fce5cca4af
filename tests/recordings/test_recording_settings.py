"""GET/PATCH /v2/meetings/{id}/recordings/settings."""

import pytest

from recordings.models import CloudRecording
from tests.recordings.conftest import READ, WRITE

pytestmark = pytest.mark.django_db


def test_read_and_change_the_share_settings(api_client, host, make_recording):
    recording = make_recording(host)
    client = api_client(host, f"{READ} {WRITE}")
    url = f"/v2/meetings/{recording.meeting_id}/recordings/settings"
    body = client.get(url).json()
    assert body["share_recording"] == "publicly" and body["viewer_download"] is True
    assert body["password"] == recording.password and body["on_demand"] is False
    change = {"share_recording": "internally", "viewer_download": False, "password": "abc12345",
              "recording_authentication": True, "authentication_domains": "example.com", "approval_type": 2,
              "send_email_to_host": False, "show_social_share_buttons": False, "topic": "Renamed",
              "auto_delete": True, "auto_delete_date": "2030-01-01"}
    assert client.patch(url, change, format="json").status_code == 204
    body = client.get(url).json()
    for name, value in change.items():
        assert body[name] == value, name
    assert CloudRecording.objects.get(pk=recording.pk).password == "abc12345"


def test_invalid_settings_are_refused(api_client, host, make_recording):
    recording = make_recording(host)
    client = api_client(host, f"{READ} {WRITE}")
    url = f"/v2/meetings/{recording.meeting_id}/recordings/settings"
    for bad in ({"share_recording": "everyone"}, {"viewer_download": "yes"}, {"password": "short"},
                {"on_demand": True}, {"approval_type": 0}, {"auto_delete_date": "soon"}):
        response = client.patch(url, bad, format="json")
        assert response.status_code == 400 and response.json()["code"] == 300, bad
    assert client.get(url).json()["share_recording"] == "publicly"
