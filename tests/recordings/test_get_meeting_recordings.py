"""GET /v2/meetings/{meetingId}/recordings: by number or instance UUID, download_access_token, 3301."""

from urllib.parse import quote

import pytest

from tests.recordings.conftest import READ

pytestmark = pytest.mark.django_db


def test_by_meeting_number_gives_the_latest_recorded_instance(api_client, host, make_recording):
    from datetime import timedelta

    first = make_recording(host)
    later = make_recording(host, meeting=first.instance.meeting, start=first.start_time + timedelta(hours=1))
    body = api_client(host, READ).get(f"/v2/meetings/{first.meeting_id}/recordings").json()
    assert body["uuid"] == later.meeting_uuid and body["id"] == first.meeting_id
    assert body["host_id"] == host.public_id and body["recording_count"] == 4
    mp4 = next(f for f in body["recording_files"] if f["file_type"] == "MP4")
    assert mp4["file_extension"] == "MP4" and mp4["recording_type"] == "gallery_view" and mp4["status"] == "completed"
    assert "/rec/play/" in mp4["play_url"] and "/rec/download/" in mp4["download_url"]
    assert body["password"] == later.password and body["recording_play_passcode"]
    assert "download_access_token" not in body


def test_by_instance_uuid_even_with_slashes(api_client, host, make_recording):
    recording = make_recording(host)
    recording.meeting_uuid = "/ab//cdEFgh+ijkLMNopq=="
    recording.save()
    client = api_client(host, READ)
    double = quote(quote(recording.meeting_uuid, safe=""), safe="")
    assert client.get(f"/v2/meetings/{double}/recordings").json()["uuid"] == recording.meeting_uuid


def test_download_access_token_on_request(api_client, host, make_recording):
    recording = make_recording(host)
    client = api_client(host, READ)
    body = client.get(f"/v2/meetings/{recording.meeting_id}/recordings",
                      {"include_fields": "download_access_token", "ttl": 600}).json()
    assert body["download_access_token"]
    assert client.get(f"/v2/meetings/{recording.meeting_id}/recordings",
                      {"include_fields": "download_access_token", "ttl": 604801}).status_code == 400


def test_no_recording_is_3301(api_client, host, make_user, make_recording, create_meeting):
    client = api_client(host, READ)
    meeting = create_meeting()
    missing = client.get(f"/v2/meetings/{meeting['id']}/recordings")
    assert missing.status_code == 404 and missing.json()["code"] == 3301
    stranger = make_user()
    theirs = make_recording(stranger)
    for ref in (theirs.meeting_id, quote(theirs.meeting_uuid, safe="")):
        response = client.get(f"/v2/meetings/{ref}/recordings")
        assert response.status_code == 404 and response.json()["code"] == 3301
    assert client.get("/v2/meetings/not*a*uuid/recordings").status_code == 400
