"""Fixtures for the recordings tests: the meetings fixtures (host, api, create_meeting, joiner), the
embedded engine as a Mind application, and `recorded_meeting`: a meeting recorded with real media."""

import pytest

from tests.meetings.conftest import (  # noqa: F401  (fixtures)
    api,
    create_meeting,
    fast_password_hashing,
    host,
    joiner,
    mind_application,
)
from tests.mind.conftest import mind_server  # noqa: F401  (fixture: the product's Daphne as a remote Mind)

READ, WRITE = "recording:read", "recording:write"


@pytest.fixture
def remote_mind(mind_application, mind_server, settings):
    """This process uses the Daphne at `mind_server` (the product, on the test database) as a remote
    Mind: MIND_API_URL set, so the engine is reached over HTTP (HttpMind)."""
    from mind.client import HttpMind
    from tests.mind.conftest import APPLICATION_ID, APPLICATION_TOKEN

    settings.MIND_API_URL = mind_server
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN
    return HttpMind()


@pytest.fixture(autouse=True)
def recordings_storage(settings, tmp_path):
    """Each test stores its recordings in its own folder (the worker uses the same settings via env)."""
    return settings


def record_meeting(api, create_meeting, host, joiner, *, seconds=2.0, utterances=()):
    """A started meeting, recorded from the room's control with real .mjr media in the engine's
    folder (Janus's format, made by pcap2mjr), then stopped. Returns (meeting, host joiner, instance)."""
    from meetings.models import Instance, Participant
    from mind import recording_retention
    from mind import services as mind_services
    from mind.models import Conference
    from tests.mind.mjr_maker import make_mjr

    created = create_meeting(password="", settings={"auto_recording": "none"})
    person = joiner(host)
    person.join(created["id"], name="Hana Host")
    response = person.post(f"/j/{created['id']}/control", ticket=person.ticket, action="recording.start")
    assert response.status_code == 200, response.content
    instance = Instance.objects.get(meeting_id=created["id"])
    cid = instance.conference_id
    media_id = Participant.objects.get(instance=instance, user=host).media_participant_id
    folder = recording_retention.mjr_dir(cid)
    make_mjr(folder / f"{media_id}-primary-1-video-1.mjr", "vp8", seconds=seconds, ssrc=1111)
    make_mjr(folder / f"{media_id}-primary-1-audio-0.mjr", "opus", seconds=seconds, ssrc=2222)
    if utterances:
        mind_services.add_utterances(Conference.objects.get(pk=cid), [
            {"participantId": media_id, "timestamp": ms, "text": text} for ms, text in utterances])
    return created, person, instance


def run_final_pass(conference_id) -> dict:
    """The engine's final audio pass over a stopped recording, run here instead of on a worker (the
    tests that drive collection themselves pause the workers). Transcription is off in these tests
    (their utterances are stored directly), so it writes the audio files and releases its hold."""
    from mind import recording_retention
    from mind.engine import final_pass

    kept = recording_retention.snapshot(conference_id)
    return final_pass.run(conference_id, kept.segments, False)


@pytest.fixture(scope="session")
def sample_media(tmp_path_factory):
    """Real small files: a 3 s H.264/AAC MP4 and its JPEG frame (made once by ffmpeg)."""
    import subprocess

    folder = tmp_path_factory.mktemp("sample-media")
    mp4, jpg = folder / "sample.mp4", folder / "sample.jpg"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", "3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart",
                    str(mp4)], check=True)
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(mp4), "-frames:v", "1", str(jpg)],
                   check=True)
    return {"MP4": mp4, "TB": jpg}


@pytest.fixture
def make_recording(db, sample_media, tmp_path):
    """make_recording(host, start=None, files=("MP4", "M4A", "TB", "TRANSCRIPT"), **fields) -> a completed
    CloudRecording of a past meeting instance of `host`, its files really stored (storage API)."""
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Instance, Meeting
    from recordings import storage
    from recordings.collection import CONTENT_TYPES, EXTENSIONS
    from recordings.models import CloudRecording, RecordingFile

    types = {"MP4": "gallery_view", "M4A": "audio_only", "TB": "thumbnail", "TRANSCRIPT": "audio_transcript",
             "CHAT": "chat_file", "TIMELINE": "timeline"}
    texts = {"TRANSCRIPT": "WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\nHana Host: Hello there\n\n"
                           "2\n00:00:02.000 --> 00:00:03.000\nGus Guest: Two seconds in\n",
             "CHAT": "00:00:01 From Hana Host to Everyone:\n\tHi\n", "TIMELINE": '{"timeline": []}',
             "M4A": None}

    def make(host, start=None, files=("MP4", "M4A", "TB", "TRANSCRIPT"), meeting=None, **fields):
        start = start or timezone.now() - timedelta(hours=2)
        meeting = meeting or Meeting.objects.create(account=host.account, host=host, topic="Design review",
                                                    start_time=start)
        instance = Instance.objects.create(meeting=meeting, started_at=start, ended_at=start + timedelta(minutes=5),
                                           conference_id=str(uuid.uuid4()))
        recording = CloudRecording.objects.create(
            account=host.account, host=host, conference_id=instance.conference_id, instance=instance,
            meeting_id=meeting.pk, meeting_uuid=instance.uuid, meeting_type=meeting.type, topic=meeting.topic,
            start_time=start, duration=5, status="completed", progress=100, collected_segments=1, **fields)
        for file_type in files:
            source = sample_media.get(file_type)
            if source is None:
                source = tmp_path / f"{uuid.uuid4()}.txt"
                if file_type == "M4A":
                    import subprocess

                    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(sample_media["MP4"]),
                                    "-vn", "-c:a", "copy", "-f", "ipod", str(source)], check=True)
                else:
                    source.write_text(texts[file_type])
            checksum = storage.sha256_of(source)
            row = RecordingFile.objects.create(
                recording=recording, file_type=file_type, recording_type=types[file_type],
                file_extension=EXTENSIONS[file_type], content_type=CONTENT_TYPES[file_type],
                recording_start=start, recording_end=start + timedelta(seconds=3), segments=1)
            staged = tmp_path / f"staged-{row.pk}"
            storage.copy_with_checksum(source, staged)
            name, size = storage.store(staged, f"{recording.pk}/{row.pk}.{EXTENSIONS[file_type].lower()}", checksum)
            row.storage_name, row.file_size, row.checksum, row.status = name, size, checksum, "completed"
            row.save()
        return recording

    return make


def stored_names() -> set[str]:
    """Every name in the recordings storage (local or S3), except a killed run's scratch folder."""
    from recordings import storage

    backend = storage.storage()

    def walk(prefix):
        dirs, files = backend.listdir(prefix)
        found = {f"{prefix}{name}" for name in files}
        for folder in dirs:
            if folder != ".staging":
                found |= walk(f"{prefix}{folder}/")
        return found

    return walk("")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (moto's, from PyPI) on loopback, with an empty bucket."""
    import subprocess
    import sys

    import boto3
    import requests

    from tests.conftest import free_port, wait_until

    port = free_port()
    log = open(tmp_path_factory.mktemp("s3") / "moto.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: requests.get(endpoint, timeout=1).status_code < 500, timeout=60, message="the S3 server")
        keys = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret", "region_name": "us-east-1"}
        boto3.client("s3", endpoint_url=endpoint, **keys).create_bucket(Bucket="confer-recordings")
        yield {"endpoint": endpoint, **keys}
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def recordings_on_s3(s3_server, settings, tmp_path):
    """The `recordings` storage is the S3 server (as RECORDINGS_S3_* settings make it in production)."""
    settings.STORAGES = {**settings.STORAGES, "recordings": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "confer-recordings", "endpoint_url": s3_server["endpoint"],
        "region_name": s3_server["region_name"], "access_key": s3_server["aws_access_key_id"],
        "secret_key": s3_server["aws_secret_access_key"], "file_overwrite": False, "default_acl": None,
        "querystring_auth": False}}}
    settings.RECORDINGS_STAGING_DIR = tmp_path / "staging"
    from recordings import storage

    assert storage.storage().__class__.__name__ == "S3Storage"
    return storage.storage()
