"""`bin/dev run` keeps the product up: supervisord starts the Procfile's processes, starts again any
that crashes (Janus, the Celery worker, the streamer, the web process) so /healthz is ok again within
seconds, stops everything on Ctrl-C, and a second run starts cleanly on what the first left behind.
"""

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.core.supervised_run import SupervisedRun

pytestmark = [pytest.mark.media, pytest.mark.timeout(900)]

CRASHES = ("janus", "worker", "streamer", "web")


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


def test_crashed_processes_restart_and_ctrl_c_stops_everything(run_dir):
    run = SupervisedRun(run_dir)
    try:
        run.start()
        run.wait_healthy(timeout=300)  # first start: initdb, migrations, demo data
        programs = run.ctl("status")
        for program in ("postgres", "redis", "janus", "turn", "web", "worker", "beat", "streamer", "transcriber"):
            assert f"{program} " in programs and run.state(program) == "RUNNING", programs

        for program in CRASHES:
            seconds = kill_and_wait_for_restart(run, program)
            print(f"{program}: healthy again {seconds:.1f} s after SIGKILL")
        # The others were not touched by those restarts.
        assert all(run.state(program) == "RUNNING" for program in ("postgres", "redis", "beat", "transcriber"))

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
