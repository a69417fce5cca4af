"""Shared parts of the SIP dial-in tests: the processes that take calls, and a phone (SIPp) that dials.

`dial_in_server` is the product's two processes on the test database: the sip process
(`manage.py mind_sip`, tests/support/sip_process.py) with dial-in on, listening on
10.99.0.1:<free port> (the test namespace's veth; Janus's SIP plugin is there too), and a Daphne
(web) that serves the Mind API (hang-up goes from it to the sip process) and the participant
sessions, so an aiortc peer (tests.mind.media_peer.MindPeer) can sit in the conference and listen. `SippCaller` is SIPp (Debian `sip-tester`) as the caller's phone on
10.99.0.2, running one scenario of tests/meetings/sipp/ against the dialled URI, echoing the RTP
it receives (`-rtp_echo`): what the conference hears from the phone is what it sent first.
"""

from __future__ import annotations

import secrets
import socket
import struct
import subprocess
from pathlib import Path

from tests.mind.sip_far_end import free_udp_port
from tests.support.sip_process import SipProcess

SCENARIOS = Path(__file__).resolve().parent / "sipp"
ENGINE_HOST = "10.99.0.1"
PHONE_HOST = "10.99.0.2"
MIND_APPLICATION_TOKEN = "meetings-tests-application-token"  # tests/support/meetings.py's


class DialInServer:
    def __init__(self, http_port: int, sip_port: int, application_id: str, sip: SipProcess):
        self.http_port = http_port
        self.sip_port = sip_port
        self.application_id = application_id
        self.sip = sip
        self.log = sip.log_path  # the sip process's log: dial-in happens there

    def janus_sip_address(self) -> str:
        """Where the Janus SIP plugin's dial-in handles listen (host:port, from the sip process's log)."""
        return self.sip.janus_sip_address()

    def pools_ready(self) -> int:
        """How many times the Janus pool got ready (at each start, again after each Janus restart)."""
        return self.sip.pools_ready()

    def wait_ready(self, pools_before: int = 0) -> None:
        """Dial-in answers: the front end answers OPTIONS and the (new) Janus pool has registered."""
        from tests.conftest import wait_until

        wait_until(lambda: options_ping(ENGINE_HOST, self.sip_port), timeout=30, message="the SIP dial-in front end")
        wait_until(lambda: self.pools_ready() > pools_before, timeout=30, message="the Janus SIP pool")

    def restart_sip(self) -> None:
        """Starts the sip process again after it stopped or was killed."""
        pools_before = self.pools_ready()
        self.sip.start()
        self.wait_ready(pools_before)

    def session_url(self, conference_id: str, token: str) -> str:
        return (f"ws://127.0.0.1:{self.http_port}/mind/{self.application_id}/{conference_id}/session"
                f"?access_token={token}")


def free_udp_port_on(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def options_ping(host: str, port: int) -> bool:
    """An OPTIONS request answered 200: the front end is listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((PHONE_HOST, 0))
        s.settimeout(1)
        local = s.getsockname()
        s.sendto((f"OPTIONS sip:ping@{host}:{port} SIP/2.0\r\nVia: SIP/2.0/UDP {local[0]}:{local[1]};branch=z9hG4bK{secrets.token_hex(6)}\r\n"
                  f"From: <sip:test@{local[0]}>;tag=t\r\nTo: <sip:ping@{host}>\r\nCall-ID: {secrets.token_hex(8)}\r\n"
                  f"CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode(), (host, port))
        return s.recv(4096).startswith(b"SIP/2.0 200")


_INFO_KEY = """  <pause milliseconds="150"/>
  <send retrans="500">
    <![CDATA[
      INFO [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      [routes]
      From: "Pat Caller" <sip:5550100@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <[uri]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: {cseq} INFO
      Max-Forwards: 70
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal={key}
      Duration=160
    ]]>
  </send>
  <recv response="200"/>
"""


SIPP_DTMF_PCAP = Path("/usr/share/sip-tester/dtmf_2833_1.pcap")  # Debian sip-tester's: its frame headers
TELEPHONE_EVENT_PT = 101  # the keypad scenarios' SDP offers telephone-event/8000 as 101
EVENTS = "0123456789*#"


def telephone_events_pcap(keys: str, path: Path) -> float:
    """Writes a pcap of RFC 4733 telephone events pressing `keys` (one RTP stream: increasing sequence
    numbers and timestamps, 140 ms per key, 3 end packets, 200 ms between keys) for SIPp's
    `play_pcap_audio`; returns its duration in seconds. The Ethernet/IP/UDP framing is copied from
    SIPp's own DTMF pcap (SIPp replaces addresses and ports when it plays)."""
    template = SIPP_DTMF_PCAP.read_bytes()
    global_header = template[:24]
    first_length = struct.unpack("<I", template[24 + 8:24 + 12])[0]
    frame = template[24 + 16:24 + 16 + first_length]
    ethernet, ip, udp = frame[:14], bytearray(frame[14:34]), bytearray(frame[34:42])
    ssrc, seq, timestamp, at = 0x5EC0DE, 1000, 160000, 0.0
    records = []
    for key in keys:
        event = EVENTS.index(key)
        for index in range(10):
            end = index >= 7
            duration = 160 * min(index + 1, 7)
            rtp = struct.pack("!BBHII", 0x80, (0x80 if index == 0 else 0) | TELEPHONE_EVENT_PT, seq, timestamp, ssrc)
            payload = struct.pack("!BBH", event, (0x80 if end else 0) | 10, duration)
            body = rtp + payload
            udp_header = udp[:4] + struct.pack("!HH", 8 + len(body), 0)
            ip_header = ip[:2] + struct.pack("!H", 20 + 8 + len(body)) + ip[4:10] + b"\0\0" + ip[12:20]
            packet = ethernet + bytes(ip_header) + bytes(udp_header) + body
            seconds = 1_700_000_000 + at
            records.append(struct.pack("<IIII", int(seconds), int((seconds % 1) * 1_000_000), len(packet), len(packet)) + packet)
            seq += 1
            at += 0.02 if index < 7 else 0.005
        timestamp += 8000 // 5 * 2  # the next event starts 400 ms later in RTP time
        at += 0.2
    path.write_bytes(global_header + b"".join(records))
    return at


def keypad_scenario(template: str, steps: list[str], tmp_path: Path) -> Path:
    """A copy of tests/meetings/sipp/<template>.xml with `steps` in place of its KEYS: "info:<keys>"
    presses each key by SIP INFO (application/dtmf-relay), "rtp:<keys>" as RFC 4733 telephone events
    (a pcap SIPp plays from its media port), "pause:<ms>" waits, "signal" waits for the test's INFO
    (SippCaller.hang_up sends one)."""
    blocks, cseq = [], 2
    for step in steps:
        kind, _, value = step.partition(":")
        if kind == "rtp":
            pcap = tmp_path / f"keys-{secrets.token_hex(3)}.pcap"
            tmp_path.mkdir(parents=True, exist_ok=True)
            seconds = telephone_events_pcap(value, pcap)
            blocks.append(f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>\n'
                          f'  <pause milliseconds="{int(seconds * 1000) + 500}"/>\n')
        elif kind == "info":
            for key in value:
                blocks.append(_INFO_KEY.format(cseq=cseq, key=key))
                cseq += 1
        elif kind == "pause":
            blocks.append(f'  <pause milliseconds="{int(value)}"/>\n')
        elif kind == "signal":
            blocks.append('  <recv request="INFO"/>\n')
        else:
            raise ValueError(step)
    text = (SCENARIOS / f"{template}.xml").read_text().replace("  <!-- KEYS -->\n", "".join(blocks))
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / f"{template}-{secrets.token_hex(3)}.xml"
    path.write_text(text)
    return path


class SippCaller:
    """SIPp dialling `uri` through the engine's front end with one scenario of tests/meetings/sipp/
    (or a scenario file: `keypad_scenario`)."""

    def __init__(self, scenario: str | Path, uri: str, server: DialInServer, tmp_path: Path, target: str = "",
                 echo: bool = True):
        tmp_path.mkdir(parents=True, exist_ok=True)
        path = scenario if isinstance(scenario, Path) else SCENARIOS / f"{scenario}.xml"
        scenario = path.stem
        self.port = free_udp_port()
        self.media_port = free_udp_port(even=True)
        self.call_id = f"dialin-{secrets.token_hex(6)}-1@{PHONE_HOST}"
        self.messages_file = tmp_path / f"{scenario}-messages.log"
        self.screen = open(tmp_path / f"{scenario}-screen.log", "w")
        self.proc = subprocess.Popen(
            ["sipp", target or f"{ENGINE_HOST}:{server.sip_port}", "-sf", str(path),
             "-i", PHONE_HOST, "-p", str(self.port), "-mi", PHONE_HOST, "-mp", str(self.media_port),
             *(["-rtp_echo"] if echo else []), "-m", "1", "-nostdin", "-timeout", "120s", "-key", "uri", uri,
             "-cid_str", self.call_id.replace("-1@", "-%u@").replace(PHONE_HOST, "%s"),
             "-cp", str(free_udp_port()), "-trace_msg", "-message_file", str(self.messages_file)],
            stdin=subprocess.DEVNULL, stdout=self.screen, stderr=subprocess.STDOUT,
        )

    def hang_up(self) -> None:
        """Tells the phone to hang up: an INFO on its socket, which call_then_hang_up.xml waits for."""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind((ENGINE_HOST, 0))
            local = s.getsockname()
            s.sendto((f"INFO sip:5550100@{PHONE_HOST}:{self.port} SIP/2.0\r\n"
                      f"Via: SIP/2.0/UDP {local[0]}:{local[1]};branch=z9hG4bK{secrets.token_hex(6)}\r\n"
                      f"From: <sip:test@{local[0]}>;tag=test\r\nTo: <sip:5550100@{PHONE_HOST}>;tag=test\r\n"
                      f"Call-ID: {self.call_id}\r\nCSeq: 99 INFO\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode(),
                     (PHONE_HOST, self.port))

    def wait(self, timeout: float = 90) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self.screen.close()

    def messages(self) -> str:
        return self.messages_file.read_text() if self.messages_file.exists() else ""

    def _received(self) -> list[str]:
        """First lines of every message SIPp received, in order."""
        firsts = []
        for block in self.messages().split("message received")[1:]:
            lines = [line for line in block.split("\n")[1:] if line.strip()]
            if lines:
                firsts.append(lines[0].strip())
        return firsts

    def final_status(self) -> int | None:
        """The final status the INVITE got (100/180 skipped)."""
        for first in self._received():
            parts = first.split()
            if first.startswith("SIP/2.0") and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) >= 200:
                return int(parts[1])
        return None

    def received(self, method: str) -> bool:
        return any(first.startswith(f"{method} ") for first in self._received())

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
