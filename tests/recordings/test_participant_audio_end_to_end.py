"""Per-participant audio with real media: two aiortc peers in a meeting (real WebRTC through Janus),
the account records each participant's audio, the host records from the room's control, the meeting
ends; the worker collects, and GET /v2/meetings/{id}/recordings lists one M4A per speaker, named,
whose bytes download intact (checksum) and which ffprobe reads as audio of the recorded length."""

import asyncio
import hashlib
import json
import subprocess
from urllib.parse import urlsplit

import pytest
from django.test import Client

from meetings.models import Participant
from recordings.models import AccountRecordingSettings, CloudRecording, RecordingFile
from tests.conftest import wait_until
from tests.mind.media_peer import MindPeer, db, receives
from tests.recordings.conftest import READ
from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


@pytest.fixture(autouse=True)
def same_application_as_media_server(mind_application, settings):
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN


def _media_id(person) -> str:
    return Participant.objects.get(key=person.answer["participant_id"]).media_participant_id


def test_each_speaker_gets_an_audio_file(celery_worker, api_client, create_meeting, host, joiner, media_server, tmp_path):
    AccountRecordingSettings.objects.create(account=host.account, record_audio_file_each_participant=True)
    created = create_meeting(password="")
    hosting, guest = joiner(host), joiner()
    hosting.join(created["id"], name="Hana Host")
    guest.join(created["id"], name="Gus Guest")
    cid = hosting.answer["conference"]["id"]

    def control(action):
        response = hosting.post(f"/j/{created['id']}/control", ticket=hosting.ticket, action=action)
        assert response.status_code == 200, response.content

    async def scenario():
        a = await MindPeer.join(media_server.session_url(cid, hosting.answer["participant_token"]))
        b = await MindPeer.join(media_server.session_url(cid, guest.answer["participant_token"]))
        try:
            for peer in (a, b):
                assert (await peer.publish())["type"] == "answer"
            guest_media_id = await db(_media_id, guest)
            await a.wait_until(lambda: receives(a, guest_media_id), timeout=40, what="the guest's media")
            await db(control, "recording.start")
            await asyncio.sleep(5)
            await db(control, "recording.stop")
        finally:
            for peer in (a, b):
                await peer.leave()

    asyncio.run(scenario())  # the last one out ends the meeting
    wait_until(lambda: CloudRecording.objects.filter(meeting_id=created["id"], status="completed").exists(),
               timeout=300, message="the collected recording")
    body = api_client(host, READ).get(f"/v2/meetings/{created['id']}/recordings").json()
    voices = {f["file_name"]: f for f in body["participant_audio_files"]}
    assert set(voices) == {"Audio only - Hana Host", "Audio only - Gus Guest"}, voices

    owner = Client()
    owner.force_login(host)
    for name, listed in voices.items():
        row = RecordingFile.objects.get(pk=listed["id"])
        response = owner.get(urlsplit(listed["download_url"]).path)
        assert response.status_code == 200, name
        content = b"".join(response.streaming_content)
        assert hashlib.sha256(content).hexdigest() == row.checksum and len(content) == listed["file_size"]
        (tmp_path / "voice.m4a").write_bytes(content)
        probe = json.loads(subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type:format=duration", "-of", "json",
             str(tmp_path / "voice.m4a")], capture_output=True, text=True, check=True).stdout)
        assert [s["codec_type"] for s in probe["streams"]] == ["audio"], name
        assert 3.0 <= float(probe["format"]["duration"]) <= 6.5, (name, probe["format"]["duration"])
