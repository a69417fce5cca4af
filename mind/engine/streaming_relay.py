"""The RTP relay between Janus's forwarders and one streaming's ffmpeg.

Janus `rtp_forward` sends a publisher stream's RTP to a UDP port; which publisher that is changes
while the conference runs (the main stage moves to a screen share, a speaker leaves). ffmpeg reads
RTP described by a fixed SDP and cannot follow such changes: a new SSRC, sequence numbers and
timestamps from another sender confuse its demuxer, and an input that goes quiet stalls the whole
output. So ffmpeg never listens to Janus directly. Each *slot* of the relay (one video, a few
audio) receives a forwarder's packets on its own port and re-sends them to ffmpeg as one
continuous stream: one SSRC, consecutive sequence numbers, timestamps that keep running across
switches. Whenever a slot has no usable source (nobody publishes, a switch waits for a keyframe, a
publisher stopped sending) it sends filler instead: a black VP8 keyframe ten times a second, or
20 ms Opus silence frames. ffmpeg therefore always gets every input and keeps pushing.

Video switches wait for a keyframe of the new source (the decoder cannot start on a delta frame);
the relay asks Janus for one with an RTCP PLI on the forwarder's RTCP port.
"""

from __future__ import annotations

import asyncio
import fractions
import logging
import secrets
import socket
import struct
import time

logger = logging.getLogger(__name__)

VIDEO_PT, AUDIO_PT = 96, 111  # payload types in the SDP ffmpeg reads (VP8, Opus)
VIDEO_CLOCK, AUDIO_CLOCK = 90000, 48000
AUDIO_FRAME = 960  # samples in 20 ms
TICK_SECONDS = 0.02
VIDEO_FILLER_INTERVAL = 0.1  # ten black frames a second while nobody is on the main stage
VIDEO_STALE_SECONDS = 2.0  # a video source silent this long counts as gone until its next keyframe
AUDIO_STALE_SECONDS = 0.2
PLI_INTERVAL = 0.5
NEW_OUTPUT_RESYNC_SECONDS = 1.0  # until ffmpeg shows output, video restarts at a keyframe this often
FILLER_SIZE = (640, 360)


def _filler_vp8() -> bytes:
    """One black VP8 keyframe (every copy of it decodes on its own)."""
    import av

    codec = av.CodecContext.create("libvpx", "w")
    codec.width, codec.height, codec.pix_fmt = *FILLER_SIZE, "yuv420p"
    codec.time_base = fractions.Fraction(1, VIDEO_CLOCK)
    codec.options = {"deadline": "realtime", "cpu-used": "8"}
    frame = av.VideoFrame(*FILLER_SIZE, "yuv420p")
    for plane, value in zip(frame.planes, (16, 128, 128), strict=True):
        plane.update(bytes([value]) * plane.buffer_size)
    frame.pts = 0
    packets = codec.encode(frame) + codec.encode(None)
    return bytes(packets[0])


def _filler_opus() -> bytes:
    """One 20 ms frame of Opus silence."""
    import av

    codec = av.CodecContext.create("libopus", "w")
    codec.sample_rate, codec.layout, codec.format = AUDIO_CLOCK, "stereo", "s16"
    codec.time_base = fractions.Fraction(1, AUDIO_CLOCK)
    codec.options = {"frame_duration": "20"}
    frame = av.AudioFrame(format="s16", layout="stereo", samples=AUDIO_FRAME)
    frame.sample_rate = AUDIO_CLOCK
    frame.planes[0].update(bytes(AUDIO_FRAME * 4))
    frame.pts = 0
    packets = codec.encode(frame) + codec.encode(None)
    return bytes(packets[0])


_fillers: dict[str, list[bytes]] = {}


def filler_payloads(kind: str) -> list[bytes]:
    """RTP payloads of one filler frame (VP8 split at 1100 bytes with payload descriptors)."""
    if kind not in _fillers:
        if kind == "video":
            frame = _filler_vp8()
            chunks = [frame[i:i + 1100] for i in range(0, len(frame), 1100)]
            _fillers[kind] = [bytes([0x10 if i == 0 else 0x00]) + chunk for i, chunk in enumerate(chunks)]
        else:
            _fillers[kind] = [_filler_opus()]
    return _fillers[kind]


def rtp_payload_offset(packet: bytes) -> int | None:
    """Where the payload starts (after CSRCs and header extension); None if not RTP."""
    if len(packet) < 12 or packet[0] >> 6 != 2:
        return None
    offset = 12 + 4 * (packet[0] & 0x0F)
    if packet[0] & 0x10:  # header extension
        if len(packet) < offset + 4:
            return None
        offset += 4 + 4 * struct.unpack_from("!H", packet, offset + 2)[0]
    return offset if offset <= len(packet) else None


def is_vp8_keyframe_start(packet: bytes) -> bool:
    """Whether the RTP packet carries the first partition of a VP8 keyframe."""
    i = rtp_payload_offset(packet)
    end = len(packet) - (packet[-1] if packet and packet[0] & 0x20 else 0)
    if i is None or i >= end:
        return False
    first = packet[i]
    start_of_partition, partition_id = first & 0x10, first & 0x07
    i += 1
    if first & 0x80:  # extended control bits
        if i >= end:
            return False
        ext = packet[i]
        i += 1
        if ext & 0x80:  # picture id, 7 or 15 bits
            if i >= end:
                return False
            i += 2 if packet[i] & 0x80 else 1
        if ext & 0x40:  # TL0PICIDX
            i += 1
        if ext & 0x30:  # TID / KEYIDX
            i += 1
    return bool(start_of_partition) and partition_id == 0 and i < end and packet[i] & 0x01 == 0


def pli(sender_ssrc: int, media_ssrc: int) -> bytes:
    """RTCP Picture Loss Indication (RFC 4585): "send me a keyframe"."""
    return struct.pack("!BBHII", 0x81, 206, 2, sender_ssrc, media_ssrc)


class _Receiver(asyncio.DatagramProtocol):
    def __init__(self, on_packet):
        self.on_packet = on_packet

    def datagram_received(self, data, addr):
        self.on_packet(data)

    def error_received(self, exc):  # ffmpeg not listening yet (ICMP): nothing to do
        pass


class Slot:
    """One continuous RTP stream to ffmpeg, fed by whichever forwarder is assigned to it."""

    def __init__(self, kind: str, name: str):
        self.kind = kind
        self.name = name  # e.g. "video", "audio1"
        self.clock = VIDEO_CLOCK if kind == "video" else AUDIO_CLOCK
        self.pt = VIDEO_PT if kind == "video" else AUDIO_PT
        self.out_ssrc = secrets.randbits(32) or 1
        self.out_seq = secrets.randbits(16)
        self.last_out_ts = secrets.randbits(32)
        self.last_out_at: float | None = None
        self.target: tuple[str, int] | None = None  # ffmpeg's address for this stream
        self.port = 0  # where Janus sends (our socket)
        self.rtcp_port = 0  # where Janus latches its RTCP (our socket)
        self._rtp: asyncio.DatagramTransport | None = None
        self._rtcp: asyncio.DatagramTransport | None = None
        # the assigned source
        self.source_ssrc: int | None = None
        self.janus_rtcp_port: int | None = None
        self.janus_host = "127.0.0.1"  # the Janus server the forwarder comes from (keyframe requests)
        self.synced = False
        self.offset = 0
        self.last_source_at = 0.0
        self.last_pli_at = 0.0
        self.next_filler_at = 0.0
        self.packets_from_source = 0
        self.new_output_since: float | None = None  # ffmpeg (re)started and has not shown output yet
        self.last_resync_at = 0.0

    async def open(self, loop: asyncio.AbstractEventLoop, host: str = "127.0.0.1") -> None:
        """Opens the sockets Janus forwards to, on `host` (MIND_RTP_FORWARD_HOST)."""
        self._rtp, _ = await loop.create_datagram_endpoint(lambda: _Receiver(self.on_source_packet),
                                                            local_addr=(host, 0))
        self._rtcp, _ = await loop.create_datagram_endpoint(lambda: _Receiver(lambda data: None),
                                                             local_addr=(host, 0))
        self.port = self._rtp.get_extra_info("sockname")[1]
        self.rtcp_port = self._rtcp.get_extra_info("sockname")[1]

    def close(self) -> None:
        for transport in (self._rtp, self._rtcp):
            if transport is not None:
                transport.close()

    # --- the source ------------------------------------------------------------------------------

    def assign(self, source_ssrc: int | None, janus_rtcp_port: int | None = None,
               janus_host: str | None = None) -> None:
        """A new forwarder (identified by the SSRC Janus stamps on its packets), or none; keyframe
        requests go to `janus_rtcp_port` on `janus_host` (the address of the room's server)."""
        if source_ssrc != self.source_ssrc:
            self.source_ssrc = source_ssrc
            self.synced = False
            self.packets_from_source = 0
            self.last_pli_at = 0.0
        self.janus_rtcp_port = janus_rtcp_port
        if janus_host is not None:
            self.janus_host = janus_host

    def on_source_packet(self, packet: bytes) -> None:
        if len(packet) < 12 or packet[0] >> 6 != 2 or self.source_ssrc is None:
            return
        ssrc = struct.unpack_from("!I", packet, 8)[0]
        if ssrc != self.source_ssrc:
            return  # still in flight from a forwarder we stopped
        now = time.monotonic()
        if not self.synced:
            if self.kind == "video" and not is_vp8_keyframe_start(packet):
                self.request_keyframe(now)
                return
            # A new segment: its timestamps continue from what ffmpeg has seen.
            src_ts = struct.unpack_from("!I", packet, 4)[0]
            self.offset = (self._now_ts(now) - src_ts) & 0xFFFFFFFF
            self.synced = True
            self.last_resync_at = now
        self.last_source_at = now
        self.packets_from_source += 1
        out = bytearray(packet)
        src_ts = struct.unpack_from("!I", packet, 4)[0]
        ts = (src_ts + self.offset) & 0xFFFFFFFF
        out[1] = (packet[1] & 0x80) | self.pt
        struct.pack_into("!HII", out, 2, self.out_seq, ts, self.out_ssrc)
        self._send(bytes(out), ts, now)

    def request_keyframe(self, now: float) -> None:
        if self.kind != "video" or self.janus_rtcp_port is None or now - self.last_pli_at < PLI_INTERVAL:
            return
        self.last_pli_at = now
        if self._rtcp is not None:
            self._rtcp.sendto(pli(self.out_ssrc, self.source_ssrc or 0), (self.janus_host, self.janus_rtcp_port))

    # --- to ffmpeg -------------------------------------------------------------------------------

    def _now_ts(self, now: float) -> int:
        """The output timestamp for `now`: the last one sent plus the time since (at least +1)."""
        if self.last_out_at is None:
            return self.last_out_ts
        return (self.last_out_ts + max(1, int((now - self.last_out_at) * self.clock))) & 0xFFFFFFFF

    def _send(self, packet: bytes, ts: int, now: float) -> None:
        self.out_seq = (self.out_seq + 1) & 0xFFFF
        self.last_out_ts, self.last_out_at = ts, now
        if self.target is not None and self._rtp is not None:
            self._rtp.sendto(packet, self.target)

    def _header(self, marker: bool, ts: int) -> bytes:
        return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | self.pt, self.out_seq, ts, self.out_ssrc)

    def new_output(self, target: tuple[str, int] | None) -> None:
        """ffmpeg (re)starts listening at `target`. Its VP8 depacketizer drops everything until a
        keyframe, and whatever we send before its socket is open is lost: so until it shows output
        (`output_confirmed`), the video slot falls back to filler keyframes every second and
        picks the source up again at its next keyframe."""
        self.target = target
        if self.kind == "video":
            self.new_output_since = time.monotonic()
            self.synced = False

    def output_confirmed(self) -> None:
        self.new_output_since = None

    def tick(self, now: float) -> None:
        """Sends filler when the source is missing, not synced yet, or has gone quiet."""
        if self.new_output_since is not None and self.synced and now - self.last_resync_at > NEW_OUTPUT_RESYNC_SECONDS:
            self.synced = False
        stale = VIDEO_STALE_SECONDS if self.kind == "video" else AUDIO_STALE_SECONDS
        if self.synced and now - self.last_source_at > stale:
            self.synced = False  # back to filler; the source restarts at its next keyframe
        if self.synced:
            self.next_filler_at = 0.0
            return
        self.request_keyframe(now)
        interval = VIDEO_FILLER_INTERVAL if self.kind == "video" else TICK_SECONDS
        step = int(interval * self.clock)
        first = self.next_filler_at == 0.0
        if first:
            self.next_filler_at = now
        sent = 0
        while now >= self.next_filler_at and sent < 10:
            # The first filler frame continues from the source's timing, the next ones step evenly.
            ts = self._now_ts(now) if first else (self.last_out_ts + step) & 0xFFFFFFFF
            first = False
            payloads = filler_payloads(self.kind)
            for index, payload in enumerate(payloads):
                marker = self.kind == "video" and index == len(payloads) - 1
                self._send(self._header(marker, ts) + payload, ts, now)
            self.next_filler_at += interval
            sent += 1
        if sent == 10:  # the loop fell behind (a long pause): do not try to catch up
            self.next_filler_at = now + interval


class Relay:
    """The slots of one streaming: `video` and `audio0..audioN-1`."""

    def __init__(self, audio_slots: int, host: str = "127.0.0.1"):
        self.host = host  # where Janus's forwarders reach us
        self.slots: dict[str, Slot] = {"video": Slot("video", "video")}
        for n in range(audio_slots):
            self.slots[f"audio{n}"] = Slot("audio", f"audio{n}")
        self._ticker: asyncio.Task | None = None

    @property
    def video(self) -> Slot:
        return self.slots["video"]

    @property
    def audio(self) -> list[Slot]:
        return [slot for name, slot in self.slots.items() if name != "video"]

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for slot in self.slots.values():
            await slot.open(loop, self.host)
        self._ticker = asyncio.create_task(self._tick())

    def point_at(self, ports: dict[str, int]) -> None:
        """Where a new ffmpeg listens (each slot name -> its RTP port on 127.0.0.1)."""
        for name, port in ports.items():
            self.slots[name].new_output(("127.0.0.1", port))

    def output_confirmed(self) -> None:
        """ffmpeg is decoding and pushing: the video slot may stay on its source now."""
        for slot in self.slots.values():
            slot.output_confirmed()

    async def _tick(self) -> None:
        while True:
            now = time.monotonic()
            for slot in self.slots.values():
                try:
                    slot.tick(now)
                except OSError as exc:  # a full socket buffer must not stop the relay
                    logger.debug("relay slot %s: %s", slot.name, exc)
            await asyncio.sleep(TICK_SECONDS)

    def close(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        for slot in self.slots.values():
            slot.close()


def free_udp_port_pairs(count: int) -> list[int]:
    """`count` even ports p with p and p+1 free on 127.0.0.1 (RTP and RTCP for ffmpeg)."""
    ports: list[int] = []
    held: list[socket.socket] = []
    try:
        while len(ports) < count:
            rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            rtp.bind(("127.0.0.1", 0))
            port = rtp.getsockname()[1]
            held.append(rtp)
            if port % 2 or port + 1 > 65535:
                continue
            rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                rtcp.bind(("127.0.0.1", port + 1))
            except OSError:
                rtcp.close()
                continue
            held.append(rtcp)
            ports.append(port)
    finally:
        for sock in held:
            sock.close()
    return ports
