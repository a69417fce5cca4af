"""DELETE /v2/meetings/{id}/recordings (trash by default, or delete) and PUT .../recordings/status (recover)."""

import pytest

from recordings import storage
from recordings.models import CloudRecording, RecordingFile
from tests.recordings.conftest import READ, WRITE

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("each_store")  # on disk and on S3
def test_trash_then_recover_then_delete_for_good(api_client, host, make_recording, django_capture_on_commit_callbacks):
    recording = make_recording(host)
    client = api_client(host, f"{READ} {WRITE}")
    url = f"/v2/meetings/{recording.meeting_id}/recordings"
    assert client.delete(url).status_code == 204
    assert client.get(url).json()["code"] == 3301
    names = list(recording.files.values_list("storage_name", flat=True))
    assert all(storage.storage().exists(name) for name in names)  # trash keeps the bytes

    status = client.put(f"/v2/meetings/{recording.meeting_uuid}/recordings/status", {"action": "recover"},
                        format="json")
    assert status.status_code == 204
    assert client.get(url).json()["recording_count"] == 4

    with django_capture_on_commit_callbacks(execute=True):  # the bytes go after the commit
        assert client.delete(url, QUERY_STRING="action=delete").status_code == 204
    assert not CloudRecording.objects.filter(pk=recording.pk).exists()
    assert not RecordingFile.objects.filter(recording_id=recording.pk).exists()
    assert not any(storage.storage().exists(name) for name in names)
    assert client.get(url).status_code == 404


def test_bad_action_and_nothing_to_recover(api_client, host, make_recording):
    recording = make_recording(host)
    client = api_client(host, f"{READ} {WRITE}")
    url = f"/v2/meetings/{recording.meeting_id}/recordings"
    assert client.delete(url, QUERY_STRING="action=shred").status_code == 400
    assert client.put(f"{url}/status", {"action": "undelete"}, format="json").status_code == 400
    nothing = client.put(f"{url}/status", {"action": "recover"}, format="json")
    assert nothing.status_code == 404 and nothing.json()["code"] == 3301


def test_another_accounts_recording_cannot_be_deleted(api_client, host, make_user, make_recording):
    theirs = make_recording(make_user())
    response = api_client(host, WRITE).delete(f"/v2/meetings/{theirs.meeting_id}/recordings")
    assert response.status_code == 404 and response.json()["code"] == 3301
    assert CloudRecording.objects.get(pk=theirs.pk).trashed_at is None
