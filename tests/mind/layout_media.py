"""Helpers for the recording layout tests: aiortc peers publishing solid colours (one per person,
and one for a screen share) and a tone that can be switched on and off (who is speaking), a
recording made through Janus and composed by the real worker, and the composed MP4's pixels read
back with PyAV."""

from __future__ import annotations

import asyncio
import fractions
import math
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import av
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, VideoStreamTrack
from av import AudioFrame, VideoFrame

from mind import services
from mind.engine.recording_media import mjr_header
from mind.models import Conference, RecordingMediaState
from tests.conftest import wait_until
from tests.mind.media_peer import AUDIO_RATE, AUDIO_SAMPLES, MindPeer, db

RED, GREEN, BLUE = (220, 30, 30), (30, 200, 30), (30, 30, 220)
BLACK = (0, 0, 0)
CAMERA_SIZE = (320, 240)


class SolidColourTrack(VideoStreamTrack):
    """Every frame one colour."""

    def __init__(self, rgb: tuple[int, int, int], size: tuple[int, int] = CAMERA_SIZE):
        super().__init__()
        self.width, self.height = size
        self.pixels = bytes(rgb) * (self.width * self.height)

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(width=self.width, height=self.height, format="rgb24")
        plane = frame.planes[0]
        assert plane.line_size == self.width * 3
        plane.update(self.pixels)
        frame.pts, frame.time_base = pts, time_base
        return frame


class SwitchedToneTrack(AudioStreamTrack):
    """A 440 Hz tone at about a quarter of full scale while `on`, digital silence otherwise."""

    def __init__(self, on: bool = False):
        super().__init__()
        self.on = on
        self._sent = 0
        self._start = 0.0

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._sent == 0:
            self._start = time.time()
        else:
            await asyncio.sleep(max(0, self._start + self._sent / AUDIO_RATE - time.time()))
        amplitude = 8000 if self.on else 0
        samples = array("h", (int(amplitude * math.sin(2 * math.pi * 440 * (self._sent + i) / AUDIO_RATE))
                              for i in range(AUDIO_SAMPLES)))
        frame = AudioFrame(format="s16", layout="mono", samples=AUDIO_SAMPLES)
        frame.planes[0].update(samples.tobytes())
        frame.pts, frame.sample_rate, frame.time_base = self._sent, AUDIO_RATE, fractions.Fraction(1, AUDIO_RATE)
        self._sent += AUDIO_SAMPLES
        return frame


@dataclass
class Person:
    participant: dict
    colour: tuple[int, int, int]
    tone: SwitchedToneTrack = field(default_factory=SwitchedToneTrack)
    screen: tuple[int, int, int] | None = None  # the colour of their screen share, if they share
    peer: MindPeer | None = None


async def publish_all(server, cid: str, people: list[Person]) -> None:
    """Each person joins and publishes camera and tone (and screen), then everyone sees everyone."""
    for person in people:
        person.peer = await MindPeer.join(server.session_url(cid, person.participant["token"]))
        reply = await person.peer.publish(video_track=SolidColourTrack(person.colour), audio_track=person.tone)
        assert reply["type"] == "answer", reply
        if person.screen:
            reply = await person.peer.publish(media="secondary", audio=False,
                                              video_track=SolidColourTrack(person.screen, (640, 480)))
            assert reply["type"] == "answer", reply
    for watcher in people:
        for other in people:
            if other is watcher:
                continue
            for media in ("primary", "secondary") if other.screen else ("primary",):
                await watcher.peer.wait_until(
                    lambda watcher=watcher, other=other, media=media: (r := watcher.peer.received_from(other.participant["id"], "video", media)) and r.frames >= 10,
                    timeout=60, what=f"{media} video from {other.participant['name']}")


async def leave_all(people: list[Person]) -> None:
    """Hangs everyone up. Closing (not the protocol's leave) is enough here: the recording was
    stopped before, and a late renegotiation offer racing a leave is not what these tests are about."""
    for person in people:
        if person.peer is not None:
            await person.peer.close()


async def post(mind, path: str, body=None):
    response = await db(lambda: mind.post(path, body))
    assert response.status_code == 200, response.content
    return response


async def patch(mind, path: str, body):
    response = await db(lambda: mind.patch(path, body))
    assert response.status_code == 200, response.content
    return response


def composed_mp4(mind, cid: str, target: Path) -> Path:
    """Waits for the worker to compose the stopped recording and downloads the MP4 over the API."""
    wait_until(lambda: Conference.objects.get(pk=cid).recording_media_state != RecordingMediaState.PENDING,
               timeout=240, message="the composition")
    row = Conference.objects.get(pk=cid)
    assert row.recording_media_state == RecordingMediaState.READY, row.recording_media_error
    response = mind.get(f"{cid}/recording", HTTP_ACCEPT="video/mp4")
    assert response.status_code == 200
    target.write_bytes(b"".join(response.streaming_content))
    return target


def recording_origin(cid: str) -> float:
    """Second 0 of the composed MP4 in wall-clock seconds: the first packet of any recorded stream."""
    folder = services.janus_recordings_dir(cid)
    starts = [int(h.get("u") or h.get("s") or 0) for h in (mjr_header(p) for p in folder.glob("*.mjr"))
              if h.get("t") in ("a", "v")]
    return min(starts) / 1e6


def frame_at(path: Path, seconds: float) -> VideoFrame:
    """The decoded frame shown at `seconds` into the video, as RGB."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        container.seek(max(0, int((seconds - 1) / stream.time_base)), stream=stream, backward=True)
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= seconds:
                return frame.reformat(format="rgb24")
    raise AssertionError(f"no frame at {seconds:.2f} s in {path.name}")


def colour_in(frame: VideoFrame, x: int, y: int, size: int = 20) -> tuple[int, int, int]:
    """Mean RGB of the size×size square centred on (x, y)."""
    plane = frame.planes[0]
    data = bytes(plane)
    totals = [0, 0, 0]
    for row in range(y - size // 2, y + size // 2):
        start = row * plane.line_size + (x - size // 2) * 3
        line = data[start:start + size * 3]
        for channel in range(3):
            totals[channel] += sum(line[channel::3])
    return tuple(round(total / (size * size)) for total in totals)


def looks_like(colour: tuple[int, int, int], expected: tuple[int, int, int], tolerance: int = 45) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))
