"""Per-participant audio (Zoom's "record a separate audio file of each participant"): when the
account's setting is on, collection stores each participant's M4A from the engine's final pass,
checksummed, and GET /v2/meetings/{id}/recordings lists them in `participant_audio_files` with the
participant's name; they play (Range) and download. Off (the default): none.
The same with two aiortc peers in a real call: test_participant_audio_end_to_end.py."""

import hashlib
import json
import subprocess
from urllib.parse import urlsplit

import pytest
from django.test import Client

from mind import services as mind_services
from recordings import collection, storage
from recordings.models import AccountRecordingSettings, CloudRecording
from tests.recordings.conftest import READ, record_meeting, run_final_pass, stored_names

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("other_workers_paused")]


def recorded_and_collected(api, create_meeting, host, joiner):
    created, person, instance = record_meeting(api, create_meeting, host, joiner, seconds=3.0)
    assert person.post(f"/j/{created['id']}/control", ticket=person.ticket, action="recording.stop").status_code == 200
    assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json").status_code == 204
    cid = instance.conference_id
    assert mind_services.compose_recording_media(cid) == "ready"
    run_final_pass(cid)
    assert collection.collect(cid) == collection.COLLECTED
    return created, instance


def fetch(client, url) -> tuple[int, bytes, dict]:
    parts = urlsplit(url)
    response = client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    content = b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    return response.status_code, content, response


@pytest.mark.usefixtures("each_store")  # on disk and on S3
def test_each_participants_audio_is_collected_listed_and_served(api, api_client, create_meeting, host, joiner):
    AccountRecordingSettings.objects.create(account=host.account, record_audio_file_each_participant=True)
    created, instance = recorded_and_collected(api, create_meeting, host, joiner)
    recording = CloudRecording.objects.get(conference_id=instance.conference_id)
    media_id = instance.participants.get(user=host).media_participant_id
    voices = list(recording.files.exclude(participant_id=""))
    assert [(v.file_type, v.recording_type, v.participant_id, v.participant_name, v.status) for v in voices] == [
        ("M4A", "audio_only", media_id, "Hana Host", "completed")]
    voice = voices[0]
    assert voice.checksum == storage.stored_checksum(voice.storage_name) and voice.file_size > 0
    # The mixed audio is still there, as its own file.
    assert recording.files.filter(file_type="M4A", participant_id="").count() == 1

    body = api_client(host, READ).get(f"/v2/meetings/{created['id']}/recordings").json()  # contract-checked
    listed = body["participant_audio_files"]
    assert [(f["id"], f["file_name"], f["file_type"], f["file_size"], f["status"]) for f in listed] == [
        (str(voice.pk), "Audio only - Hana Host", "M4A", voice.file_size, "completed")]
    assert str(voice.pk) not in {f["id"] for f in body["recording_files"]}
    assert body["recording_count"] == len(body["recording_files"]) + 1
    assert body["total_size"] == sum(f["file_size"] for f in body["recording_files"]) + voice.file_size

    owner = Client()
    owner.force_login(host)
    code, content, response = fetch(owner, listed[0]["download_url"])
    assert code == 200 and response["Content-Type"] == "audio/mp4"
    assert "attachment" in response["Content-Disposition"] and "Hana_Host" in response["Content-Disposition"]
    assert hashlib.sha256(content).hexdigest() == voice.checksum
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type:format=duration",
                            "-of", "json", "-"], input=content, capture_output=True, check=True)
    probed = json.loads(probe.stdout)
    assert [s["codec_type"] for s in probed["streams"]] == ["audio"]
    assert 2.0 <= float(probed["format"]["duration"]) <= 3.6
    parts = urlsplit(listed[0]["play_url"])
    ranged = owner.get(parts.path, HTTP_RANGE="bytes=0-99")
    assert ranged.status_code == 206 and b"".join(ranged.streaming_content) == content[:100]

    # The player page offers it for download under the participant's name.
    page = owner.get(f"/recordings/{recording.pk}/")
    assert page.status_code == 200 and b"Audio: Hana Host" in page.content

    # Collecting again stores nothing twice.
    before = stored_names()
    assert collection.collect(instance.conference_id) in (collection.COLLECTED, collection.UNKNOWN)
    assert stored_names() == before and recording.files.exclude(participant_id="").count() == 1


def test_no_participant_files_unless_the_account_asks(api, api_client, create_meeting, host, joiner):
    created, instance = recorded_and_collected(api, create_meeting, host, joiner)
    recording = CloudRecording.objects.get(conference_id=instance.conference_id)
    assert not recording.files.exclude(participant_id="").exists()
    body = api_client(host, READ).get(f"/v2/meetings/{created['id']}/recordings").json()
    assert "participant_audio_files" not in body
    assert body["recording_count"] == len(body["recording_files"])
