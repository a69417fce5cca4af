"""Real Janus recordings (.mjr) without a browser: ffmpeg encodes a test pattern / tone to RTP on
loopback, we capture the packets into a pcap file, and Janus's own `pcap2mjr` (janus-tools)
turns the capture into the .mjr file Janus would have written for that stream."""

from __future__ import annotations

import socket
import struct
import subprocess
import threading
from pathlib import Path

CLOCK = {"vp8": 90000, "opus": 48000}


def _capture(sock: socket.socket, packets: list, stop: threading.Event) -> None:
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            data, _ = sock.recvfrom(65535)
        except socket.timeout:
            continue
        packets.append(data)


def _pcap(packets: list[bytes], clock: int, path: Path, port: int, epoch: float) -> None:
    """A pcap (Ethernet/IPv4/UDP) whose packet times follow the RTP timestamps."""
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        first_ts = None
        for rtp in packets:
            if len(rtp) < 12 or rtp[0] >> 6 != 2 or 200 <= rtp[1] <= 204:  # not RTP, or RTCP
                continue
            ts = struct.unpack("!I", rtp[4:8])[0]
            first_ts = ts if first_ts is None else first_ts
            seconds = epoch + ((ts - first_ts) % 2**32) / clock
            udp = struct.pack("!HHHH", 40000, port, 8 + len(rtp), 0) + rtp
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                             socket.inet_aton("127.0.0.1"), socket.inet_aton("127.0.0.1")) + udp
            frame = b"\x00" * 12 + b"\x08\x00" + ip
            out.write(struct.pack("<IIII", int(seconds), int((seconds % 1) * 1e6), len(frame), len(frame)) + frame)


def make_mjr(target: Path, codec: str, seconds: float | None = 2.0, ssrc: int = 12345678,
             source: Path | None = None, epoch: float = 1_700_000_000) -> Path:
    """Writes `target` (.mjr) holding `seconds` of VP8 video (a test pattern) or Opus audio (a tone,
    or the audio file `source`, all of it when `seconds` is None); its first packet at `epoch` (s)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 * 1024 * 1024)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    packets: list[bytes] = []
    stop = threading.Event()
    reader = threading.Thread(target=_capture, args=(sock, packets, stop), daemon=True)
    reader.start()
    if codec == "vp8":
        source = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-c:v", "libvpx", "-b:v", "300k",
                  "-deadline", "realtime", "-payload_type", "96"]
    else:
        source = (["-i", str(source)] if source else ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]) + [
            "-c:a", "libopus", "-ar", "48000", "-ac", "2", "-payload_type", "111"]
    try:
        length = ["-t", str(seconds)] if seconds is not None else []
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-re", *source, *length,
                        "-ssrc", str(ssrc), "-f", "rtp", f"rtp://127.0.0.1:{port}?pkt_size=1200"],
                       check=True, timeout=60, capture_output=True)
    finally:
        stop.set()
        reader.join()
        sock.close()
    pcap = target.with_suffix(".pcap")
    _pcap(packets, CLOCK[codec], pcap, port, epoch)
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pcap2mjr", "-c", codec, "-s", str(ssrc), str(pcap), str(target)],
                   check=True, timeout=60, capture_output=True)
    pcap.unlink()
    return target
