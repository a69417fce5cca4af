"""The `sip` process (`manage.py mind_sip`) for tests: started on the test database, ready once it
announces itself (and, with dial-in on, once its Janus pool has registered); a test may kill it
(SIGKILL, as a crash) and start it again."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from mind.engine.sip_remote import connect, running_process
from tests.conftest import ROOT, process_env, wait_until


class SipProcess:
    def __init__(self, folder: Path, **env):
        self.folder = folder
        self.log_path = folder / "sip.log"
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        ready_before = self.log().count(" ready (dial-in")
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen([sys.executable, "manage.py", "mind_sip"], cwd=ROOT,
                                         env=process_env(**self.env), stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: self.log().count(" ready (dial-in") > ready_before, timeout=timeout,
                       message="the sip process to be ready")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- sip process ---\n{self.log()[-4000:]}") from None

    def announced(self) -> dict | None:
        """What the running sip process announced in Redis (None: no sip process runs)."""
        with connect() as client:
            return running_process(client)

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to end its calls or withdraw its announcement."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        from tests.mind.media_peer import stop_process

        if self.proc is not None and self.proc.poll() is None:
            stop_process(self.proc)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def janus_sip_address(self) -> str:
        """Where the Janus SIP plugin's dial-in handles listen (host:port, from the log)."""
        return re.findall(r"Janus handles ready behind (\S+)", self.log())[-1]

    def pools_ready(self) -> int:
        """How many times the Janus pool got ready (at each start, again after each Janus restart)."""
        return self.log().count("Janus handles ready")
