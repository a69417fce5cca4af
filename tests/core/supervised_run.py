"""Helper (not a test module): the product started the way `bin/dev run` starts it, with every process
of the Procfile under supervisord, on its own ports and its own `VAR_DIR`, inside the test namespace.

`bin/dev _serve` is `bin/dev run` without the install step (the namespace has no network; the test
run installed everything before entering it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUPERVISORCTL = str(ROOT / ".venv" / "bin" / "supervisorctl")

# Ports apart from the test session's own PostgreSQL, Redis and Janus (bin/dev test's defaults).
PORTS = {
    "PG_PORT": "54339", "REDIS_PORT": "63809", "WEB_PORT": "8010",
    "JANUS_HTTP_PORT": "8098", "JANUS_ADMIN_PORT": "7098", "JANUS_WS_PORT": "8198",
    "JANUS_RTP_PORT_RANGE": "42000-42999", "JANUS_SIP_RTP_PORT_RANGE": "43001-43100",
    "SIP_PORT": "15070",
    "TURN_PORT": "3488", "TURN_TLS_PORT": "5359", "TURN_RELAY_PORT_RANGE": "44000-44199",
}


class SupervisedRun:
    """One `bin/dev _serve` (supervisord and its programs) in its own session; `stop()` is Ctrl-C."""

    def __init__(self, var_dir: Path, extra_env: dict[str, str] | None = None):
        self.var_dir = var_dir
        self.env = {
            "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8",
            "VAR_DIR": str(var_dir), "PG_FSYNC": "off", "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "JANUS_ICE_ENFORCE_LIST": "mediatest0", "JANUS_SIP_LOCAL_IP": "10.99.0.1",
            "WEB_CONCURRENCY": "2",  # two web processes on the one port (supervisord names them web:web_00, web:web_01)
            **PORTS, **(extra_env or {}),
        }
        self.base_url = f"http://127.0.0.1:{PORTS['WEB_PORT']}"
        self.conf = var_dir / "run" / "supervisord.conf"
        self.output: list[str] = []
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        # Its own session, like a terminal's foreground job: Ctrl-C is a SIGINT to supervisord.
        self.process = subprocess.Popen(
            [str(ROOT / "bin" / "dev"), "_serve"], cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def tail(self, lines: int = 60) -> str:
        return "".join(self.output[-lines:])

    def ctl(self, *args: str) -> str:
        result = subprocess.run([SUPERVISORCTL, "-c", str(self.conf), *args], capture_output=True, text=True,
                                timeout=30)
        return result.stdout.strip()

    def pid(self, program: str) -> int:
        answer = self.ctl("pid", program)
        return int(answer) if answer.isdigit() else 0

    def state(self, program: str) -> str:
        # "web                              RUNNING   pid 1234, uptime 0:00:05"
        parts = self.ctl("status", program).split()
        return parts[1] if len(parts) > 1 else ""

    # --- the embedded Mind engine of this run, for aiortc participants (tests/mind/media_peer.py) ---

    @property
    def application_id(self) -> str:
        return (self.var_dir / "secrets" / "mind_application_id").read_text().strip()

    @property
    def port(self) -> int:
        return int(PORTS["WEB_PORT"])

    def session_url(self, conference_id: str, token: str) -> str:
        return f"ws://127.0.0.1:{self.port}/mind/{self.application_id}/{conference_id}/session?access_token={token}"

    def mind(self, path: str, body: dict) -> dict:
        """POST to this run's Mind API as its application."""
        token = (self.var_dir / "secrets" / "mind_application_token").read_text().strip()
        request = urllib.request.Request(
            f"{self.base_url}/mind/{self.application_id}{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def health(self) -> tuple[int, dict]:
        request = urllib.request.Request(self.base_url + "/healthz", headers={"Host": "localhost"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except (OSError, ValueError):
            return 0, {}

    def healthy(self) -> bool:
        status, body = self.health()
        return status == 200 and body.get("status") == "ok"

    def wait_healthy(self, timeout: float) -> float:
        """Seconds until /healthz says ok (every component), or AssertionError with the output."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            assert self.process is not None and self.process.poll() is None, f"supervisord exited:\n{self.tail()}"
            status, body = self.health()
            if status == 200 and body.get("status") == "ok":
                return time.monotonic() - started
            time.sleep(0.5)
        raise AssertionError(f"/healthz not ok after {timeout} s: {self.health()}\n{self.tail()}")

    def stop(self, timeout: float = 90) -> int:
        """Ctrl-C: SIGINT to supervisord; returns its exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def kill(self) -> None:
        """Clean-up after a failure: everything this run started, and nothing else."""
        for pid in self.leftover_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def leftover_pids(self) -> list[int]:
        """Processes whose command line or environment names this run's VAR_DIR."""
        mark = str(self.var_dir).encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if mark in (entry / "cmdline").read_bytes() or mark in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
        return found
