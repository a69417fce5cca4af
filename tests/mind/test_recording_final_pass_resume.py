"""The final pass is idempotent and resumable: a worker killed half-way and run again gives the
same transcript as an uninterrupted run (finished participants are not redone); it runs from the
media alone when the conference row is gone; it leaves a recording resumed meanwhile alone; and a
pass that fails for good keeps the live transcript and completes it."""

import json
import os
import signal
import subprocess
import sys
import uuid

import pytest

from mind import services
from mind.engine import final_pass
from mind.engine.tasks import finish_recording_audio
from mind.models import Conference
from tests.conftest import ROOT, process_env, wait_until
from tests.mind.speech import record_voices

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]
ORIGIN_MS = 1_700_000_000_000


@pytest.fixture(scope="module")
def recorded(tmp_path_factory, voices):
    # Made once for the module (encoding the voices is the slow part); the final pass only reads it.
    people = {"alice": {"id": str(uuid.uuid4())}, "bob": {"id": str(uuid.uuid4())}}
    rec_dir = tmp_path_factory.mktemp("final-pass") / "janus"
    record_voices(rec_dir, people, voices, ORIGIN_MS / 1000)
    return rec_dir, people


def run_in_child(conference_id, segments, rec_dir, out_dir) -> subprocess.Popen:
    code = ("import django, json, sys; django.setup(); from pathlib import Path; "
            "from mind.engine import final_pass; "
            "final_pass.run(sys.argv[1], json.loads(sys.argv[2]), True, Path(sys.argv[3]), Path(sys.argv[4]))")
    return subprocess.Popen([sys.executable, "-c", code, str(conference_id), json.dumps(segments), str(rec_dir),
                             str(out_dir)], cwd=ROOT, env=process_env())


def test_killed_and_restarted_gives_the_same_transcript(recorded, tmp_path):
    rec_dir, people = recorded
    gone = uuid.uuid4()  # no such conference: results stay as files
    segments = [{"startedAt": ORIGIN_MS, "stoppedAt": ORIGIN_MS + 20_000}]

    clean = final_pass.run(gone, segments, True, rec_dir, tmp_path / "clean")
    assert clean == {"participants": 2, "utterances": 6, "stored": "conference gone"}
    expected = json.loads((tmp_path / "clean" / final_pass.TRANSCRIPT_FILE).read_text())

    out = tmp_path / "killed"
    child = run_in_child(gone, segments, rec_dir, out)
    cache = out / final_pass.CACHE_DIR
    wait_until(lambda: cache.is_dir() and any(cache.glob("*.json")) or child.poll() is not None, timeout=120,
               message="the first participant done")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert not (out / final_pass.TRANSCRIPT_FILE).exists()  # killed before the end
    [done] = cache.glob("*.json")
    done_at = done.stat().st_mtime_ns

    assert final_pass.run(gone, segments, True, rec_dir, out)["utterances"] == 6
    assert json.loads((out / final_pass.TRANSCRIPT_FILE).read_text()) == expected
    assert done.stat().st_mtime_ns == done_at  # that participant was not transcribed again
    assert not [p for p in out.iterdir() if p.name.startswith(".final-pass-") or p.name.startswith(".transcript")]
    assert sorted(p.name for p in out.glob("*.m4a")) == sorted(f"{p['id']}.m4a" for p in people.values())


def test_run_twice_stores_the_same_transcript(mind, recorded, tmp_path):
    rec_dir, people = recorded
    cid = mind.create_conference(name="twice")["id"]
    mind.patch(f"{cid}/transcription", {"started": True})
    mind.post(f"{cid}/recording/start")
    mind.post(f"{cid}/recording/stop")
    segments = Conference.objects.get(pk=cid).recording_segments
    assert final_pass.run(cid, segments, True, rec_dir, tmp_path / "out")["stored"] == "stored"
    first = mind.get(f"{cid}/recording/transcription")
    assert first.status_code == 200 and len(first.json()) == 6
    assert final_pass.run(cid, segments, True, rec_dir, tmp_path / "out")["stored"] == "stored"
    assert mind.get(f"{cid}/recording/transcription").json() == first.json()


def test_a_recording_resumed_meanwhile_is_left_alone(mind, recorded, tmp_path):
    rec_dir, _ = recorded
    cid = mind.create_conference(name="resumed")["id"]
    mind.patch(f"{cid}/transcription", {"started": True})
    mind.post(f"{cid}/recording/start")
    mind.post(f"{cid}/recording/stop")
    segments = Conference.objects.get(pk=cid).recording_segments
    mind.post(f"{cid}/recording/start")  # resumed before the worker got to it
    assert final_pass.run(cid, segments, True, rec_dir, tmp_path / "out")["stored"] == "recording resumed"
    response = mind.get(f"{cid}/recording/transcription")
    assert response.status_code == 206 and response.json() == []


def test_failing_for_good_keeps_the_live_transcript_and_completes(mind, tmp_path, settings):
    cid = mind.create_conference(name="broken")["id"]
    speaker = mind.create_participant(cid)
    mind.patch(f"{cid}/transcription", {"started": True})
    mind.post(f"{cid}/recording/start")
    services.add_utterances(Conference.objects.get(pk=cid),
                            [{"participantId": speaker["id"], "timestamp": 10, "text": "live words"}])
    mind.post(f"{cid}/recording/stop")
    segments = Conference.objects.get(pk=cid).recording_segments
    rec_dir = services.janus_recordings_dir(cid)
    rec_dir.mkdir(parents=True, exist_ok=True)
    (rec_dir / f"{speaker['id']}-primary-1-audio-0.mjr").write_bytes(b"not a janus recording")
    assert mind.get(f"{cid}/recording/transcription").status_code == 206
    result = finish_recording_audio.apply(args=[cid, segments, True], retries=finish_recording_audio.max_retries)
    assert result.get() == {"stored": "stored"}
    response = mind.get(f"{cid}/recording/transcription")
    assert response.status_code == 200 and [u["text"] for u in response.json()] == ["live words"]
