"""Recording media end to end: real .mjr files (Janus's format, made by Janus's pcap2mjr from
RTP that ffmpeg encoded), stop over REST, a real Celery worker composes, GET serves the files."""

import json
import subprocess

import pytest

from mind import services
from mind.models import Conference, RecordingMediaState
from tests.conftest import wait_until
from tests.mind.conftest import APPLICATION_ID, MindHttp
from tests.mind.mjr_maker import make_mjr

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


def probe(path) -> list[dict]:
    output = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height",
                             "-of", "json", str(path)], capture_output=True, text=True, check=True).stdout
    return json.loads(output)["streams"]


def test_stop_composes_mp4_thumbnail_and_preview(celery_worker, mind_application, tmp_path):
    mind = MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)
    conference = mind.create_conference(name="Recorded")
    cid = conference["id"]
    moderator = mind.create_participant(cid, role="moderator")
    assert mind.post(f"{cid}/recording/start").status_code == 200

    rec_dir = services.janus_recordings_dir(cid)
    make_mjr(rec_dir / "a-primary-1-video-1.mjr", "vp8", ssrc=1111)
    make_mjr(rec_dir / "a-primary-1-audio-0.mjr", "opus", ssrc=2222)
    make_mjr(rec_dir / "b-primary-1-video-1.mjr", "vp8", ssrc=3333)

    assert mind.post(f"{cid}/recording/stop", token=moderator["token"]).status_code == 200
    wait_until(lambda: Conference.objects.get(pk=cid).recording_media_state != RecordingMediaState.PENDING,
               timeout=120, message="the composition")
    row = Conference.objects.get(pk=cid)
    assert row.recording_media_state == RecordingMediaState.READY, row.recording_media_error

    mp4 = mind.get(f"{cid}/recording", token=moderator["token"], HTTP_ACCEPT="video/mp4")
    assert mp4.status_code == 200 and mp4["Content-Type"] == "video/mp4"
    (tmp_path / "r.mp4").write_bytes(b"".join(mp4.streaming_content))
    streams = {s["codec_type"]: s for s in probe(tmp_path / "r.mp4")}
    assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
    width, height = streams["video"]["width"], streams["video"]["height"]

    jpeg = mind.get(f"{cid}/recording", HTTP_ACCEPT="image/jpeg")
    assert jpeg.status_code == 200 and jpeg["Content-Type"] == "image/jpeg"
    assert b"".join(jpeg.streaming_content)[:3] == b"\xff\xd8\xff"

    webp = mind.get(f"{cid}/recording/preview")
    assert webp.status_code == 200 and webp["Content-Type"] == "image/webp"
    (tmp_path / "p.webp").write_bytes(b"".join(webp.streaming_content))
    assert (tmp_path / "p.webp").read_bytes()[8:12] == b"WEBP"
    frame = probe(tmp_path / "p.webp")[0]
    assert frame["width"] == width // 4  # one-sixteenth of the area per frame, frames stacked
    assert frame["height"] % (height // 4) == 0 and frame["height"] > height // 4

    # Running the task again changes nothing. Deleting the conference keeps the media while someone
    # holds it (the recordings app collects it: mind.recording_retention), then removes every file.
    assert services.compose_recording_media(cid) == RecordingMediaState.READY
    assert mind.delete(cid).status_code == 200
    wait_until(lambda: not rec_dir.exists() and not services.recording_media_dir(cid).exists(), timeout=120,
               message="the media released by its holders")


def test_nothing_recorded_fails_cleanly(celery_worker, mind_application):
    mind = MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)
    cid = mind.create_conference()["id"]
    mind.post(f"{cid}/recording/start")
    mind.post(f"{cid}/recording/stop")
    wait_until(lambda: Conference.objects.get(pk=cid).recording_media_state != RecordingMediaState.PENDING,
               timeout=60, message="the composition")
    assert Conference.objects.get(pk=cid).recording_media_state == RecordingMediaState.FAILED
    assert mind.get(f"{cid}/recording").status_code == 404
