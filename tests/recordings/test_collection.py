"""Collection (recordings.collection.collect) from the engine's real composed media: every file,
in Zoom's formats, checksummed; running it again stores nothing twice."""

import json
import subprocess

import pytest
from django.core import mail
from django.test import Client

from mind import services as mind_services
from mind.models import Message
from recordings import collection, storage
from recordings.models import CloudRecording
from tests.recordings.conftest import record_meeting, run_final_pass, stored_names
from webhooks.models import Delivery, Subscription

# Collection runs in this process; a running worker must not race it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("other_workers_paused")]


def _text(row) -> str:
    return b"".join(storage.read_range(row.storage_name, 0, None)).decode()


@pytest.mark.usefixtures("each_store")  # on disk and on S3
def test_collects_every_file_once(api, create_meeting, host, joiner, settings):
    endpoint = Subscription.objects.create(account=host.account, url="http://127.0.0.1:9/hook", status="active")
    created, person, instance = record_meeting(api, create_meeting, host, joiner,
                                               utterances=[(400, "Hello there"), (1500, "Second line")])
    cid = instance.conference_id
    # The room's chat: a participant's message to everyone, through the Mind API, while recording.
    said = Client().post(f"/mind/{settings.MIND_APPLICATION_ID}/{cid}/messages",
                         json.dumps({"sendTo": cid, "text": "Hi all"}), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {person.answer['participant_token']}")
    assert said.status_code == 200, said.content
    assert Message.objects.filter(conference_id=cid, text="Hi all").exists()
    response = person.post(f"/j/{created['id']}/control", ticket=person.ticket, action="recording.stop")
    assert response.status_code == 200
    assert collection.collect(cid) == collection.RECORDING  # the meeting goes on: processed after it
    from mind import recording_retention as retention

    assert retention.take(cid, "test-second-holder")  # keeps the media after collection, to run it twice
    assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json").status_code == 204
    assert collection.collect(cid) == collection.COMPOSING  # the worker has not composed it yet
    assert mind_services.compose_recording_media(cid) == "ready"
    assert collection.collect(cid) == collection.TRANSCRIPT_PENDING  # the engine's final pass still holds it
    run_final_pass(cid)

    assert collection.collect(cid) == collection.COLLECTED
    recording = CloudRecording.objects.get(conference_id=cid)
    assert recording.status == "completed" and recording.progress == 100
    files = {row.file_type: row for row in recording.files.all()}
    assert set(files) == {"MP4", "M4A", "TB", "TIMELINE", "CHAT", "TRANSCRIPT"}
    assert files["MP4"].recording_type == "gallery_view" and files["M4A"].recording_type == "audio_only"
    for row in files.values():
        assert row.status == "completed" and row.checksum == storage.stored_checksum(row.storage_name)

    vtt = _text(files["TRANSCRIPT"])
    assert vtt.startswith("WEBVTT") and "00:00:00.400 --> 00:00:01.500\nHana Host: Hello there" in vtt
    assert "Hana Host: Second line" in vtt
    assert "From Hana Host to Everyone:\n\tHi all" in _text(files["CHAT"])
    timeline = json.loads(_text(files["TIMELINE"]))["timeline"]
    assert {e["event"] for e in timeline} >= {"joined", "spoke"}
    assert all(e["users"][0]["username"] == "Hana Host" for e in timeline)
    m4a = b"".join(storage.read_range(files["M4A"].storage_name, 0, None))
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name",
                            "-of", "json", "-"], input=m4a, capture_output=True, check=True)
    assert [s["codec_type"] for s in json.loads(probe.stdout)["streams"]] == ["audio"]

    # recording.completed went to the webhook sender, and the host got an e-mail.
    events = list(Delivery.objects.filter(subscription=endpoint).values_list("event", flat=True))
    assert events.count("recording.completed") == 1
    payload = Delivery.objects.get(subscription=endpoint, event="recording.completed").body["payload"]
    assert payload["object"]["uuid"] == instance.uuid and payload["object"]["recording_count"] == 5
    assert [m.to for m in mail.outbox] == [[host.email]] and "ready" in mail.outbox[0].subject

    # Again: nothing new is stored, nothing is sent twice.
    before = stored_names()
    assert collection.collect(cid) == collection.COLLECTED
    assert stored_names() == before
    retention.release(cid, "test-second-holder")
    assert retention.snapshot(cid) is None and collection.collect(cid) == collection.UNKNOWN
    assert {row.pk: row.storage_name for row in recording.files.all()} == {r.pk: r.storage_name for r in files.values()}
    assert Delivery.objects.filter(event="recording.completed").count() == 1 and len(mail.outbox) == 1


@pytest.mark.usefixtures("each_store")  # on disk and on S3
def test_transcript_waits_for_the_final_pass_hold(api, create_meeting, host, joiner):
    """While the transcript's final pass holds the recording, collection stores everything else and
    waits; the final pass stores its transcript and releases; then the VTT is collected."""
    from mind import recording_retention as retention

    created, person, instance = record_meeting(api, create_meeting, host, joiner, utterances=[(300, "draft")])
    cid = instance.conference_id
    assert retention.take(cid, retention.TRANSCRIPT_FINAL_PASS)
    assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json").status_code == 204
    assert mind_services.compose_recording_media(cid) == "ready"  # the deleted conference's held recording
    assert collection.collect(cid) == collection.TRANSCRIPT_PENDING
    recording = CloudRecording.objects.get(conference_id=cid)
    assert recording.status == "processing" and not recording.files.filter(file_type="TRANSCRIPT").exists()
    assert recording.files.filter(file_type="MP4", status="completed").exists()

    media_id = instance.participants.get(user=host).media_participant_id
    retention.store_final_transcript(cid, [{"timestamp": 250, "participantId": media_id, "text": "Final words"}])
    retention.release(cid, retention.TRANSCRIPT_FINAL_PASS)
    assert retention.holders(cid) == [retention.COLLECTION]  # collection still holds the media
    assert collection.collect(cid) == collection.COLLECTED
    vtt = _text(recording.files.get(file_type="TRANSCRIPT"))
    assert "Hana Host: Final words" in vtt and "draft" not in vtt
    assert retention.snapshot(cid) is None and not retention.mjr_dir(cid).exists()
