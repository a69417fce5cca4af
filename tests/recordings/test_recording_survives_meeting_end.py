"""A recorded meeting still yields every file when it ends: the engine conference is deleted at the
end, but its recording media is held (mind.recording_retention) until the recordings app has
stored verified copies; then the media is released (deleted)."""

import hashlib

import pytest

from mind import recording_retention
from mind.models import RetainedRecording
from recordings import storage
from recordings.models import CloudRecording
from tests.conftest import wait_until
from tests.recordings.conftest import READ, record_meeting

pytestmark = pytest.mark.django_db(transaction=True)


def _collected(meeting_id):
    recording = CloudRecording.objects.filter(meeting_id=meeting_id).first()
    return recording is not None and recording.status == "completed"


def _check_every_file(api_client, host, created, cid):
    wait_until(lambda: _collected(created["id"]), timeout=180, message="the collected recording")
    response = api_client(host, READ).get(f"/v2/meetings/{created['id']}/recordings")
    assert response.status_code == 200, response.content
    files = {f["file_type"]: f for f in response.json()["recording_files"]}
    assert set(files) == {"MP4", "M4A", "TB", "TRANSCRIPT"}, files
    recording = CloudRecording.objects.get(meeting_id=created["id"])
    for row in recording.files.all():
        digest = hashlib.sha256(b"".join(storage.storage().open(row.storage_name, "rb").chunks())).hexdigest()
        assert row.checksum == digest and row.file_size > 0 and row.status == "completed"
    # Collected everything and the conference is gone: the engine has let go of the media.
    wait_until(lambda: not RetainedRecording.objects.filter(pk=cid).exists(), timeout=30, message="the release")
    assert not recording_retention.mjr_dir(cid).exists()
    assert recording_retention.composed_file(cid, "video/mp4") is None


def test_meeting_ended_through_the_api_keeps_its_recording(celery_worker, api_client, api, create_meeting, host,
                                                           joiner):
    created, _, instance = record_meeting(api, create_meeting, host, joiner, utterances=[(500, "Hello there")])
    response = api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json")
    assert response.status_code == 204, response.content
    _check_every_file(api_client, host, created, instance.conference_id)


def test_meeting_ended_by_the_last_person_leaving_keeps_its_recording(celery_worker, api_client, api, create_meeting,
                                                                      host, joiner):
    created, person, instance = record_meeting(api, create_meeting, host, joiner, utterances=[(500, "Bye now")])
    response = person.post(f"/j/{created['id']}/leave", ticket=person.ticket)
    assert response.status_code == 200 and response.json()["state"] == "ended"
    _check_every_file(api_client, host, created, instance.conference_id)


def test_an_unheld_recording_still_goes_with_its_conference(mind_application):
    """Without holders (neither the recordings app nor the engine's final pass holding it), deletion
    removes the media as before."""
    from mind.client import get_mind

    mind = get_mind()
    cid = mind.create_conference(name="x")["id"]
    mind.start_recording(cid)
    for holder in (recording_retention.COLLECTION, recording_retention.TRANSCRIPT_FINAL_PASS):
        recording_retention.release(cid, holder)
    assert recording_retention.holders(cid) == []
    folder = recording_retention.mjr_dir(cid)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.mjr").write_bytes(b"x")
    mind.delete_conference(cid)
    assert not folder.exists() and not RetainedRecording.objects.filter(pk=cid).exists()
