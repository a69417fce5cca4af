"""DELETE /v2/meetings/{id}/recordings/{recordingId} and PUT .../{recordingId}/status (recover one file)."""

import pytest

from recordings import storage
from recordings.models import RecordingFile
from tests.recordings.conftest import READ, WRITE

pytestmark = pytest.mark.django_db


def test_trash_recover_and_delete_one_file(api_client, host, make_recording, django_capture_on_commit_callbacks):
    recording = make_recording(host)
    client = api_client(host, f"{READ} {WRITE}")
    url = f"/v2/meetings/{recording.meeting_id}/recordings"
    m4a = recording.files.get(file_type="M4A")
    assert client.delete(f"{url}/{m4a.pk}").status_code == 204
    assert {f["file_type"] for f in client.get(url).json()["recording_files"]} == {"MP4", "TB", "TRANSCRIPT"}
    again = client.delete(f"{url}/{m4a.pk}")
    assert again.status_code == 404 and again.json()["code"] == 3301

    assert client.put(f"{url}/{m4a.pk}/status", {"action": "recover"}, format="json").status_code == 204
    assert client.get(url).json()["recording_count"] == 4

    with django_capture_on_commit_callbacks(execute=True):  # the bytes go after the commit
        assert client.delete(f"{url}/{m4a.pk}", QUERY_STRING="action=delete").status_code == 204
    assert not RecordingFile.objects.filter(pk=m4a.pk).exists()
    assert not storage.storage().exists(m4a.storage_name)
    assert client.get(url).json()["recording_count"] == 3


def test_unknown_file_is_3301(api_client, host, make_recording):
    recording = make_recording(host)
    client = api_client(host, WRITE)
    response = client.delete(f"/v2/meetings/{recording.meeting_id}/recordings/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and response.json()["code"] == 3301
