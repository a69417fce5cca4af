"""Video SDK session recordings (seed 4.2.7): a conference an application creates through the Mind
API is a session; its recording is collected for the account VIDEOSDK_ACCOUNT names and served by
GET /v2/videosdk/recordings, GET|DELETE /v2/videosdk/sessions/{id}/recordings and
DELETE /v2/videosdk/sessions/{id}/recordings/{recordingId}."""

from urllib.parse import quote

import pytest

from mind import recording_retention as retention
from mind import services as mind_services
from mind.client import get_mind
from recordings import collection
from recordings.models import CloudRecording
from tests.mind.mjr_maker import make_mjr
from tests.recordings.conftest import READ, WRITE, run_final_pass

# Collection runs in this process; a running worker must not race it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("other_workers_paused")]


def _recorded_session(name="Support call") -> str:
    mind = get_mind()
    cid = mind.create_conference(name=name)["id"]
    mind.start_recording(cid)
    folder = retention.mjr_dir(cid)
    make_mjr(folder / "p-primary-1-video-1.mjr", "vp8", ssrc=1111)
    make_mjr(folder / "p-primary-1-audio-0.mjr", "opus", ssrc=2222)
    mind.stop_recording(cid)
    assert mind_services.compose_recording_media(cid) == "ready"
    run_final_pass(cid)
    mind.delete_conference(cid)  # the application ends the session: the held media stays
    return cid


def test_session_recordings_through_the_videosdk_api(settings, api_client, host, make_user):
    settings.VIDEOSDK_ACCOUNT = host.account.public_id
    cid = _recorded_session()
    assert collection.collect(cid) == collection.COLLECTED
    assert retention.snapshot(cid) is None  # collected: the engine let go of the media
    recording = CloudRecording.objects.get(conference_id=cid)
    assert recording.kind == "session" and recording.meeting_uuid == collection.session_id(cid)

    client = api_client(host, f"{READ} {WRITE}")
    listed = client.get("/v2/videosdk/recordings").json()
    assert [s["session_id"] for s in listed["sessions"]] == [recording.meeting_uuid]
    assert listed["sessions"][0]["session_name"] == "Support call"
    session_url = f"/v2/videosdk/sessions/{quote(quote(recording.meeting_uuid, safe=''), safe='')}/recordings"
    body = client.get(session_url, {"include_fields": "download_access_token"}).json()
    assert {f["file_type"] for f in body["recording_files"]} == {"MP4", "M4A", "TB"}
    assert body["download_access_token"]
    # Sessions are not meetings: the meeting recording API does not list them.
    assert client.get("/v2/users/me/recordings").json()["meetings"] == []

    m4a = next(f for f in body["recording_files"] if f["file_type"] == "M4A")
    deleted = client.delete(f"{session_url}/{m4a['id']}")
    assert deleted.status_code == 200 and deleted.json()["code"] == 200
    assert {f["file_type"] for f in client.get(session_url).json()["recording_files"]} == {"MP4", "TB"}
    assert client.delete(session_url).status_code == 200  # to the trash
    assert client.get(session_url).json()["code"] == 3301
    trash = client.get("/v2/videosdk/recordings", {"trash": "true"}).json()["sessions"]
    assert [s["session_id"] for s in trash] == [recording.meeting_uuid]

    stranger = api_client(make_user(), READ)
    assert stranger.get(session_url).status_code == 404
    assert stranger.get("/v2/videosdk/recordings").json()["sessions"] == []
    assert api_client(host, "meeting:read").get("/v2/videosdk/recordings").json()["code"] == 4711


def test_without_a_videosdk_account_sessions_are_not_kept(settings):
    settings.VIDEOSDK_ACCOUNT = ""
    cid = _recorded_session()
    assert collection.collect(cid) == collection.NOT_OURS
    assert retention.snapshot(cid) is None and not retention.mjr_dir(cid).exists()
    assert not CloudRecording.objects.filter(conference_id=cid).exists()
