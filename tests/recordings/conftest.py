"""Fixtures for the recordings tests. The meetings fixtures (host, api, create_meeting, joiner) and
`make_recording` come from tests/support (plugins shared by every folder); here: the settings every
recordings test runs with, a real S3-compatible server, `each_store` (run a test on disk and on S3),
and `record_meeting`: a meeting recorded with real media."""

import pytest

READ, WRITE = "recording:read", "recording:write"


@pytest.fixture
def remote_mind(mind_application, mind_server, settings):
    """This process uses the Daphne at `mind_server` (the product, on the test database) as a remote
    Mind: MIND_API_URL set, so the engine is reached over HTTP (HttpMind)."""
    from mind.client import HttpMind
    from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN

    settings.MIND_API_URL = mind_server
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN
    return HttpMind()


@pytest.fixture(autouse=True)
def meetings_settings(fast_password_hashing, mind_application):
    """As in tests/meetings: fast password hashing, the embedded engine as the meetings' Mind application."""


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


@pytest.fixture(params=["disk", "s3"])
def each_store(request):
    """A test using this runs twice: recordings on the local disk, then on a real S3-compatible server.
    The S3 run pauses the session's worker: collection runs in the test's process and must not be raced."""
    if request.param == "s3":
        request.getfixturevalue("other_workers_paused")
        return request.getfixturevalue("recordings_on_s3")
    return None
