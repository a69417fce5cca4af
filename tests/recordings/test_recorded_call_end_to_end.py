"""The whole path with real media: two aiortc peers in a meeting (real WebRTC through Janus), the host
records from the room's control, the meeting ends; the files appear through
GET /v2/meetings/{id}/recordings, the MP4 downloads and ffprobe reads the recorded duration (±0.5 s)
with H.264 video and AAC audio; the VTT names the speakers."""

import asyncio
import json
import subprocess
from urllib.parse import urlsplit

import pytest
from django.test import Client

from mind import services as mind_services
from mind.models import Conference
from recordings.models import CloudRecording
from tests.conftest import wait_until
from tests.mind.media_peer import MindPeer, db, receives
from tests.recordings.conftest import READ
from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def same_application_as_media_server(mind_application, settings):
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN


def _probe(path) -> dict:
    output = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name",
                             "-of", "json", str(path)], capture_output=True, text=True, check=True).stdout
    return json.loads(output)


def test_a_recorded_two_party_call_yields_playable_files(celery_worker, api_client, api, create_meeting, host, joiner,
                                                         media_server, tmp_path):
    created = create_meeting(password="")
    hosting = joiner(host)
    hosting.join(created["id"], name="Hana Host")
    guest = joiner()
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
            conference = await db(lambda: Conference.objects.get(pk=cid))
            # What the transcriber stores while people speak (ms from the recording's start).
            host_media_id = await db(_media_id, hosting)
            await db(mind_services.add_utterances, conference, [
                {"participantId": host_media_id, "timestamp": 1000, "text": "Welcome to the review"},
                {"participantId": guest_media_id, "timestamp": 3000, "text": "Thanks for having me"}])
            await db(control, "recording.stop")
            stopped = await db(lambda: Conference.objects.get(pk=cid).recording_segments[0])
            return (stopped["stoppedAt"] - stopped["startedAt"]) / 1000
        finally:
            for peer in (a, b):
                await peer.leave()

    expected = asyncio.run(scenario())
    # Both peers left through the engine: the last one out ended the meeting (and deleted the conference).

    wait_until(lambda: CloudRecording.objects.filter(meeting_id=created["id"], status="completed").exists(),
               timeout=300, message="the collected recording")
    body = api_client(host, READ).get(f"/v2/meetings/{created['id']}/recordings").json()
    files = {f["file_type"]: f for f in body["recording_files"]}
    assert {"MP4", "M4A", "TB", "TRANSCRIPT"} <= set(files), files

    owner = Client()
    owner.force_login(host)

    def fetch(url, name):
        parts = urlsplit(url)
        response = owner.get(parts.path)
        assert response.status_code == 200, url
        target = tmp_path / name
        with open(target, "wb") as out:
            for chunk in response.streaming_content:
                out.write(chunk)
        return target

    mp4 = _probe(fetch(files["MP4"]["download_url"], "call.mp4"))
    assert {s["codec_type"]: s["codec_name"] for s in mp4["streams"]} == {"video": "h264", "audio": "aac"}
    assert abs(float(mp4["format"]["duration"]) - expected) <= 0.5, (mp4["format"]["duration"], expected)
    m4a = _probe(fetch(files["M4A"]["download_url"], "call.m4a"))
    assert [s["codec_type"] for s in m4a["streams"]] == ["audio"]
    vtt = fetch(files["TRANSCRIPT"]["download_url"], "call.vtt").read_text()
    assert "Hana Host: Welcome to the review" in vtt and "Gus Guest: Thanks for having me" in vtt


def _media_id(person) -> str:
    from meetings.models import Participant

    return Participant.objects.get(key=person.answer["participant_id"]).media_participant_id



