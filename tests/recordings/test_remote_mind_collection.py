"""Collection from a remote Mind (MIND_API_URL: HttpMind). The remote is the product's own Daphne on a
real loopback socket (tests/mind's contract approach): the meeting runs on it, the worker polls
GET …/recording (503 + Retry-After while composing), streams the MP4 and JPEG over HTTP checking their
length and Repr-Digest, stores every file with verified checksums, and deletes the remote conference
only then. Running it again stores nothing twice. A server that sends a short or altered body is
refused (test_a_download_that_does_not_match_is_refused)."""

import hashlib
import http.server
import threading

import pytest

from meetings.models import Instance
from mind import recording_retention
from mind import services as mind_services
from mind.client import HttpMind, MindError
from recordings import collection, remote, storage
from recordings.models import CloudRecording
from tests.recordings.conftest import record_meeting, stored_names
from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN

# This process plays the product's worker; other workers must not race it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("other_workers_paused")]


@pytest.mark.usefixtures("each_store")  # on disk and on S3
def test_a_recording_is_fetched_from_the_remote_mind(remote_mind, api, create_meeting, host, joiner):
    created, person, instance = record_meeting(api, create_meeting, host, joiner, seconds=3.0,
                                               utterances=[(500, "Hello from afar")])
    cid = instance.conference_id
    assert remote_mind.get_conference(cid)["recording"] == {"started": True}  # the meeting runs remotely
    assert person.post(f"/j/{created['id']}/control", ticket=person.ticket, action="recording.stop").status_code == 200
    assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json").status_code == 204
    # A remote Mind would delete the recording with its conference: the meeting's end leaves it.
    assert remote_mind.get_conference(cid)["id"] == cid
    assert Instance.objects.get(pk=instance.pk).ended_at is not None

    with pytest.raises(remote.RetryLater) as later:  # the remote is still composing
        collection.collect(cid)
    assert later.value.outcome == collection.COMPOSING and later.value.seconds == mind_services.RETRY_AFTER_SECONDS
    recording = CloudRecording.objects.get(conference_id=cid)
    assert recording.status == "processing" and not recording.files.filter(status="completed").exists()

    assert mind_services.compose_recording_media(cid) == "ready"  # the remote's worker
    composed = recording_retention.composed_file(cid, "video/mp4").read_bytes()
    assert collection.collect(cid) == collection.COLLECTED  # nobody transcribed: the transcript is complete

    recording.refresh_from_db()
    assert recording.status == "completed"
    files = {row.file_type: row for row in recording.files.all()}
    assert set(files) == {"MP4", "M4A", "TB", "TIMELINE", "TRANSCRIPT"}
    for row in files.values():
        assert row.status == "completed" and row.checksum == storage.stored_checksum(row.storage_name)
    assert files["MP4"].checksum == hashlib.sha256(composed).hexdigest()
    assert files["MP4"].recording_type == "gallery_view"
    vtt = b"".join(storage.read_range(files["TRANSCRIPT"].storage_name, 0, None)).decode()
    assert "Hana Host: Hello from afar" in vtt
    assert 2.5 <= (files["MP4"].recording_end - files["MP4"].recording_start).total_seconds() <= 3.6
    # Stored: the remote conference is deleted now.
    with pytest.raises(MindError) as gone:
        remote_mind.get_conference(cid)
    assert gone.value.status == 404

    before = stored_names()
    assert collection.collect(cid) == collection.COLLECTED  # again: nothing fetched or stored twice
    assert stored_names() == before and recording.files.count() == 5
    # The sweep no longer lists it.
    assert cid not in collection.outstanding()


@pytest.fixture
def remote_mode_worker(remote_mind, mind_server, tmp_path):
    """A real Celery worker configured like a product whose engine is the remote Mind."""
    import subprocess
    import sys

    from config.celery import app
    from tests.conftest import ROOT, process_env, wait_until
    from tests.mind.media_peer import stop_process

    log = open(tmp_path / "worker.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-l", "info",
                             "-n", f"remote-mode-{tmp_path.name}@%h"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env=process_env(MIND_API_URL=mind_server, MIND_APPLICATION_ID=APPLICATION_ID,
                                            MIND_APPLICATION_TOKEN=APPLICATION_TOKEN))
    try:
        wait_until(lambda: any(f"remote-mode-{tmp_path.name}" in name for reply in app.control.ping(timeout=0.5)
                               for name in reply), timeout=60, message="the worker")
        yield proc
    finally:
        stop_process(proc)
        log.close()


def test_the_task_collects_after_the_meeting_ends(remote_mode_worker, remote_mind, api, create_meeting, host, joiner):
    """Through the worker: the meeting's end queues collection, which waits out the composition
    (503 + Retry-After), stores every file once, and deletes the remote conference."""
    from tests.conftest import wait_until

    created, person, instance = record_meeting(api, create_meeting, host, joiner, seconds=2.0)
    cid = instance.conference_id
    assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json").status_code == 204

    def conference_gone():
        try:
            remote_mind.get_conference(cid)
        except MindError as exc:
            return exc.status == 404
        return False

    wait_until(lambda: CloudRecording.objects.filter(conference_id=cid, status="completed").exists(),
               timeout=180, message="the collected recording")
    wait_until(conference_gone, timeout=60, message="the remote conference's deletion")
    recording = CloudRecording.objects.get(conference_id=cid)
    assert sorted(recording.files.values_list("file_type", flat=True)) == ["M4A", "MP4", "TB", "TIMELINE"]
    for row in recording.files.all():
        assert row.checksum == storage.stored_checksum(row.storage_name)


def test_the_sweep_finds_recorded_meetings_left_on_the_remote(remote_mind, api, create_meeting, host, joiner):
    created, person, instance = record_meeting(api, create_meeting, host, joiner, seconds=1.0)
    assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json").status_code == 204
    assert instance.conference_id in collection.outstanding()  # if the task's message were lost


class Server(http.server.BaseHTTPRequestHandler):
    """Answers GET …/recording with `body`, declaring `length` and `digest` (a broken remote)."""

    body, length, digest = b"", 0, ""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(self.length))
        if self.digest:
            self.send_header("Repr-Digest", self.digest)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("body, length, digest, what", [
    (b"x" * 1000, 1000, "sha-256=:" + "A" * 43 + "=:", "does not match"),
    (b"x" * 1000, 2000, "", "broke off"),  # the connection closes short of Content-Length
])
def test_a_download_that_does_not_match_is_refused(tmp_path, body, length, digest, what):
    handler = type("Broken", (Server,), {"body": body, "length": length, "digest": digest})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = HttpMind(base_url=f"http://127.0.0.1:{server.server_port}/mind", application_id=APPLICATION_ID,
                          application_token="token", timeout=5)
        with pytest.raises(MindError) as refused:
            client.download_recording("8f14e45f-ceea-467f-a0e6-0c5d2b1a4f3e", tmp_path / "r.mp4")
        assert what in refused.value.message
    finally:
        server.shutdown()
        server.server_close()


def test_a_matching_download_is_accepted(tmp_path):
    import base64

    body = b"recording bytes" * 100
    digest = "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"
    handler = type("Good", (Server,), {"body": body, "length": len(body), "digest": digest})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = HttpMind(base_url=f"http://127.0.0.1:{server.server_port}/mind", application_id=APPLICATION_ID,
                          application_token="token", timeout=5)
        assert client.download_recording("8f14e45f-ceea-467f-a0e6-0c5d2b1a4f3e", tmp_path / "r.mp4") == \
            hashlib.sha256(body).hexdigest()
        assert (tmp_path / "r.mp4").read_bytes() == body
    finally:
        server.shutdown()
        server.server_close()
