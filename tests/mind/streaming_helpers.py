"""Helpers for the streaming tests: the streamer process, a local RTMP server, stream analysis.

The outside world (YouTube, Twitch) is played by `RtmpReceiver`: ffmpeg listening for one RTMP
connection on 127.0.0.1 and copying what it receives into an FLV file, which `analyse` decodes
with PyAV (picture size, per-frame brightness and colour, keyframes, loudest audio sample).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import free_port
from tests.mind.media_peer import MovingBarTrack

STREAM_SIZE = (640, 360)  # the streamer's output in these tests (smaller than production's 720p)
STREAM_FPS = 30


def streamer_log(proc) -> str:
    return Path(proc.log_path).read_text(errors="replace")[-4000:]


class RtmpReceiver:
    """A local RTMP server for one connection (ffmpeg -listen 1), saving the stream to a file."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder = folder
        self.port = port or free_port()
        self.url = f"rtmp://127.0.0.1:{self.port}/live/test-key"
        self.proc: subprocess.Popen | None = None
        self.path: Path | None = None
        self.count = 0

    def start(self) -> "RtmpReceiver":
        self.count += 1
        self.path = self.folder / f"received-{self.port}-{self.count}.flv"
        self.log = open(self.folder / f"receiver-{self.port}-{self.count}.log", "w")
        self.proc = subprocess.Popen(
            ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "warning", "-listen", "1", "-timeout", "120",
             "-i", self.url, "-c", "copy", "-f", "flv", "-flush_packets", "1", str(self.path)],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        return self

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.running:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Frame:
    time: float
    width: int
    height: int
    luma: float  # mean Y (16 black .. 235 white)
    red: float  # mean V (Cr): 128 for grey, high for red
    key: bool
    bar: int  # column of the brightest vertical strip (the moving bar), -1 if none


@dataclass
class Received:
    video_codec: str = ""
    audio_codec: str = ""
    frames: list[Frame] = field(default_factory=list)
    audio_peaks: list[tuple[float, float]] = field(default_factory=list)  # (time, peak 0..1) per frame

    def frames_after(self, t: float) -> list[Frame]:
        return [f for f in self.frames if f.time >= t]

    @property
    def duration(self) -> float:
        return self.frames[-1].time if self.frames else 0.0

    def peak_after(self, t: float) -> float:
        return max((p for at, p in self.audio_peaks if at >= t), default=0.0)


def _mean(data: bytes, step: int = 61) -> float:
    sample = data[::step]
    return sum(sample) / max(1, len(sample))


def _bar_column(frame) -> int:
    """Where the bright vertical bar of MovingBarTrack is (middle row), -1 if nothing stands out."""
    plane = frame.planes[0]
    row = bytes(plane)[plane.line_size * (frame.height // 2):][:frame.width]
    if not row:
        return -1
    brightest = max(range(len(row)), key=row.__getitem__)
    return brightest if row[brightest] > 180 and _mean(row, 1) < 150 else -1


def analyse(path: Path) -> Received:
    """Decodes as much of the (possibly still growing) file as is there."""
    import av

    received = Received()
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError):
        return received
    with container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        received.video_codec = video.codec_context.name if video else ""
        received.audio_codec = audio.codec_context.name if audio else ""
        streams = [s for s in (video, audio) if s is not None]
        try:
            for packet in container.demux(*streams):
                for frame in packet.decode():
                    at = float(frame.time or 0.0)
                    if packet.stream.type == "video":
                        planes = frame.planes
                        received.frames.append(Frame(at, frame.width, frame.height, _mean(bytes(planes[0])),
                                                     _mean(bytes(planes[2])), frame.key_frame, _bar_column(frame)))
                    else:
                        received.audio_peaks.append((at, _audio_peak(frame)))
        except (av.error.FFmpegError, EOFError, ValueError):
            pass  # the end of a file still being written
    return received


def _audio_peak(frame) -> float:
    import array

    if frame.format.name != "fltp":
        frame = frame.reformat(format="fltp")
    samples = array.array("f", bytes(frame.planes[0])[: frame.samples * 4])
    return max((abs(s) for s in samples), default=0.0)


async def wait_for(predicate, timeout: float, what: str, interval: float = 0.5):
    """Waits for `predicate()` (run in a thread: it may decode files or query the database)."""
    from tests.mind.media_peer import db

    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await db(predicate)  # in a thread whose database connection is closed afterwards
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def is_black(frame: Frame) -> bool:
    return frame.luma < 30 and abs(frame.red - 128) < 10


def is_camera(frame: Frame) -> bool:
    """MovingBarTrack: grey (Y 80) with a white bar, letterboxed (black borders pull the mean down)."""
    return 45 < frame.luma < 130 and abs(frame.red - 128) < 12 and frame.bar >= 0


def is_screen(frame: Frame) -> bool:
    return frame.red > 165


class RedScreenTrack(MovingBarTrack):
    """A "screen share": a red picture (V high) at 640x480, unlike the grey camera."""

    async def recv(self):
        from av import VideoFrame

        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(width=640, height=480, format="yuv420p")
        for plane, value in zip(frame.planes, (82, 90, 240), strict=True):
            plane.update(bytes([value]) * plane.buffer_size)
        frame.pts, frame.time_base = pts, time_base
        return frame


def ffmpeg_pids(streaming_id: str) -> list[int]:
    """The streamer's ffmpeg for that streaming (its SDP path contains the streaming id)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"ffmpeg") and any(streaming_id.encode() in arg and arg.endswith(b".sdp")
                                                       for arg in argv):
            pids.append(int(entry.name))
    return pids


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
