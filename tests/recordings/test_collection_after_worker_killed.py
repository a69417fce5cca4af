"""A Celery worker killed (SIGKILL) in the middle of collecting, then restarted: nothing is lost and
nothing is stored twice. The restarted worker picks the recording up through the beat sweep
(`collect_outstanding`), which is what brings back a task whose worker died."""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from config.celery import app
from recordings import storage
from recordings.models import CloudRecording, RecordingFile
from recordings.tasks import collect_outstanding
from tests.conftest import ROOT, process_env, wait_until
from tests.recordings.conftest import record_meeting

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("other_workers_paused")]


def _start_worker(log_path):
    out = open(log_path, "a")
    name = f"killable-{uuid.uuid4().hex[:8]}"
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-l", "info",
                             "-n", f"{name}@%h"], cwd=ROOT, env=process_env(), stdout=out, stderr=subprocess.STDOUT)
    wait_until(lambda: any(worker.startswith(name) for reply in app.control.ping(timeout=0.5) for worker in reply),
               timeout=60, message="the worker")
    return proc


def _stored_names() -> set[str]:
    root = storage.storage().location
    found = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".staging"]  # a killed run's scratch folder
        found |= {os.path.relpath(os.path.join(folder, name), root) for name in files}
    return found


def test_killed_worker_loses_nothing_and_duplicates_nothing(api, create_meeting, host, joiner, tmp_path):
    before = _stored_names()
    created, _, instance = record_meeting(api, create_meeting, host, joiner, seconds=8,
                                          utterances=[(200, "Before the crash")])
    worker = _start_worker(tmp_path / "worker.log")
    try:
        assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json").status_code == 204
        deadline = time.monotonic() + 240
        while not RecordingFile.objects.filter(recording__conference_id=instance.conference_id).exists():
            assert time.monotonic() < deadline, "collection never started"
            time.sleep(0.01)
        os.kill(worker.pid, signal.SIGKILL)  # mid-collection: the first file is being made
        worker.wait(10)
        recording = CloudRecording.objects.get(conference_id=instance.conference_id)
        assert recording.status == "processing", "the worker finished before it could be killed"

        worker = _start_worker(tmp_path / "worker.log")
        collect_outstanding.delay()  # what Celery beat runs every few minutes
        wait_until(lambda: CloudRecording.objects.get(pk=recording.pk).status == "completed", timeout=240,
                   message="the collection after the restart")
    finally:
        worker.terminate()
        worker.wait(20)

    rows = list(RecordingFile.objects.filter(recording=recording))
    assert sorted(r.file_type for r in rows) == ["M4A", "MP4", "TB", "TIMELINE", "TRANSCRIPT"]
    for row in rows:
        assert row.status == "completed" and storage.stored_checksum(row.storage_name) == row.checksum
    assert _stored_names() - before == {r.storage_name for r in rows}  # no second copy of anything
