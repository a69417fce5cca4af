"""`bin/dev run` keeps the product up: supervisord starts the Procfile's processes (the web tier as two
processes on one port), starts again any that crashes (Janus, the Celery worker, the streamer, a web
process: the other web process keeps answering meanwhile) so /healthz is ok again within seconds, stops
everything on Ctrl-C, and a second run starts cleanly on what the first left behind.
An aiortc call in the run's own engine gets its media back after Janus is killed (the engine's
Janus-restart recovery: mediaReset, republish) and keeps it while the worker and streamer restart.
"""

import asyncio
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.core.supervised_run import SupervisedRun
from tests.mind.media_peer import publishing_pair, receives

pytestmark = [pytest.mark.media, pytest.mark.timeout(900)]


@pytest.fixture
def run_dir():
    path = Path(os.environ.get("VAR_DIR", "var/test")).resolve() / "supervised-run"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    path.chmod(0o755)  # PostgreSQL runs as `postgres` and must reach its cluster inside
    yield path
    shutil.rmtree(path, ignore_errors=True)


def kill_and_wait_for_restart(run: SupervisedRun, program: str, timeout: float = 120) -> float:
    old_pid = run.pid(program)
    assert old_pid > 0 and run.state(program) == "RUNNING", run.ctl("status")
    os.kill(old_pid, signal.SIGKILL)  # a crash: no chance to clean up
    killed_at = time.monotonic()
    while time.monotonic() - killed_at < timeout:
        new_pid = run.pid(program)
        if new_pid not in (0, old_pid) and run.state(program) == "RUNNING":
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"{program} not running again: {run.ctl('status')}\n{run.tail()}")
    run.wait_healthy(timeout=timeout)
    return time.monotonic() - killed_at


def frames_from(peer, participant_id: str) -> int:
    video = peer.received_from(participant_id, "video")
    return video.frames if video else 0


async def crash_each(run: SupervisedRun) -> None:
    conference = run.mind("", {"name": "supervised"})["id"]
    alice = run.mind(f"/{conference}/participants", {"name": "Alice", "role": "speaker"})
    bob = run.mind(f"/{conference}/participants", {"name": "Bob", "role": "speaker"})
    a, b = await publishing_pair(run, conference, alice, bob)
    try:
        # Janus: every session is told its media is gone, re-publishes, and media flows again.
        marks = [len(a.messages), len(b.messages)]
        seconds = await asyncio.to_thread(kill_and_wait_for_restart, run, "janus")
        print(f"janus: healthy again {seconds:.1f} s after SIGKILL")
        for peer, start in zip((a, b), marks, strict=True):
            await peer.wait_for(lambda m: m.get("type") == "republish", start=start, timeout=60)
            assert (await peer.publish())["type"] == "answer"
        await a.wait_until(lambda: receives(a, bob["id"]), timeout=60, what="Bob's media after Janus restarted")
        await b.wait_until(lambda: receives(b, alice["id"]), timeout=60, what="Alice's media after Janus restarted")

        # The worker and the streamer: the call does not notice.
        for program in ("worker", "streamer"):
            before = frames_from(a, bob["id"])
            seconds = await asyncio.to_thread(kill_and_wait_for_restart, run, program)
            print(f"{program}: healthy again {seconds:.1f} s after SIGKILL")
            await a.wait_until(lambda before=before: frames_from(a, bob["id"]) > before + 10, timeout=30,
                               what=f"Bob's video still arriving after the {program} restarted")
    finally:
        for peer in (a, b):
            await peer.close()

    # A web process (its participant sessions end with it): the other one answers at once, every time.
    killed = run.pid("web:web_00")
    os.kill(killed, signal.SIGKILL)
    answered = sum(run.healthy() for _ in range(10))
    assert answered == 10, f"{answered} of 10 /healthz requests answered while web_00 was down"
    seconds = kill_and_wait_for_restart(run, "web:web_01")
    print(f"web: the other web process answered 10 of 10 meanwhile; web_01 healthy again {seconds:.1f} s after SIGKILL")
    assert run.pid("web:web_00") not in (0, killed) and run.state("web:web_00") == "RUNNING"


def test_crashed_processes_restart_and_ctrl_c_stops_everything(run_dir):
    run = SupervisedRun(run_dir)
    try:
        run.start()
        run.wait_healthy(timeout=300)  # first start: initdb, migrations, demo data
        programs = run.ctl("status")
        for program in ("postgres", "redis", "janus", "turn", "web:web_00", "web:web_01", "worker", "beat", "streamer",
                        "transcriber", "sip"):
            assert f"{program} " in programs and run.state(program) == "RUNNING", programs

        asyncio.run(crash_each(run))
        # The others were not touched by those restarts.
        assert all(run.state(program) == "RUNNING" for program in ("postgres", "redis", "beat", "transcriber", "sip"))

        assert run.stop() == 0, run.tail()
        assert run.leftover_pids() == [], "processes outlived Ctrl-C"
        assert "stopped: postgres (exit status 0)" in "".join(run.output), run.tail()

        # A second run on the same VAR_DIR (cluster, Redis data, socket files left behind) comes up.
        second = SupervisedRun(run_dir)
        second.start()
        second.wait_healthy(timeout=180)
        assert second.stop() == 0, second.tail()
        assert second.leftover_pids() == []
    finally:
        run.kill()
