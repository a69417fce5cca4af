"""The far end of the SIP tests: a real SIP user agent (SIPp, Debian `sip-tester`) on a test host.

It runs one call of a scenario from tests/mind/sipp/ as UAS on the test namespace's veth address
10.99.0.2 (Janus's SIP plugin uses 10.99.0.1), echoing every RTP packet it receives back to its
sender (`-rtp_echo`): audio heard in the conference from the SIP participant is what the phone
received first. SIPp logs every SIP message it sends and receives; it exits 0 when the scenario
ran to its end, 1 when it failed.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parent / "sipp"
HOST = "10.99.0.2"


def free_udp_port(even: bool = False) -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        if not even or (port % 2 == 0 and port < 65000):
            return port


class SippUas:
    def __init__(self, scenario: str, tmp_path: Path):
        self.port = free_udp_port()
        self.media_port = free_udp_port(even=True)  # echo uses it and +2
        self.messages_file = tmp_path / f"{scenario}-messages.log"
        self.log_file = tmp_path / f"{scenario}-actions.log"
        self.screen = open(tmp_path / f"{scenario}-screen.log", "w")
        self.proc = subprocess.Popen(
            ["sipp", "-sf", str(SCENARIOS / f"{scenario}.xml"), "-i", HOST, "-p", str(self.port),
             "-mi", HOST, "-mp", str(self.media_port), "-rtp_echo", "-m", "1", "-nostdin", "-timeout", "120s",
             "-trace_msg", "-message_file", str(self.messages_file), "-trace_logs", "-log_file", str(self.log_file)],
            stdin=subprocess.DEVNULL, stdout=self.screen, stderr=subprocess.STDOUT,
        )

    @property
    def uri(self) -> str:
        return f"sip:far@{HOST}:{self.port}"

    def wait(self, timeout: float = 60) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self.screen.close()

    def messages(self) -> str:
        return self.messages_file.read_text() if self.messages_file.exists() else ""

    def received(self, method: str) -> bool:
        """Whether SIPp received a `method` request (e.g. BYE, REFER)."""
        return any(block.split("\n", 1)[1].lstrip().startswith(f"{method} ")
                   for block in self.messages().split("message received")[1:] if "\n" in block)

    def logged(self) -> str:
        return self.log_file.read_text() if self.log_file.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self.screen.closed:
            self.screen.close()
