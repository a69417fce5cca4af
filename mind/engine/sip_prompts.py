"""Spoken prompts of keypad dial-in, and the track that plays them to the phone.

The prompts are speech synthesised by espeak-ng (a Debian package of the install, offline), once:
`render_all()` when the sip process starts dial-in (in the background), or lazily on first use;
cached as WAV files under SIP_PROMPTS_DIR (default var/sip-prompts; written to a temporary name then
renamed). Nothing is downloaded. A file is named after a hash of its text and voice, so changing a text renders it anew.

`PromptTrack` is an aiortc audio track: 20 ms frames at 48 kHz, a queued prompt or silence.
`play()` returns once the prompt has been sent (the caller has heard it).
"""

from __future__ import annotations

import asyncio
import fractions
import hashlib
import logging
import os
import subprocess
import tempfile
import threading
import time
import wave
from pathlib import Path

from aiortc.mediastreams import AudioStreamTrack, MediaStreamError
from av import AudioFrame, AudioResampler
from django.conf import settings

logger = logging.getLogger(__name__)

RATE = 48000
SAMPLES = 960  # 20 ms
FRAME_BYTES = SAMPLES * 2
VOICE = "en-us"
SPEED = 150  # words per minute: a little slower than espeak-ng's default, for phone lines

PROMPTS = {
    "welcome": "Welcome. Please enter your meeting ID followed by pound.",
    "meeting_id": "Please enter your meeting ID followed by pound.",
    "passcode": "Please enter the meeting passcode followed by pound.",
    "wrong": "That was not correct, please try again.",
    "waiting": "Please wait, the host will let you into the meeting soon.",
    "joining": "You are now joining the meeting.",
    "muted": "You are muted.",
    "unmuted": "You are unmuted.",
    "not_started": "The meeting has not started yet. Please call again later.",
    "refused": "This meeting cannot be joined by phone.",
    "goodbye": "Goodbye.",
}

_lock = threading.Lock()
_loaded: dict[str, bytes] = {}


def prompts_dir() -> Path:
    return Path(settings.SIP_PROMPTS_DIR)


def _path(name: str) -> Path:
    digest = hashlib.sha256(f"{VOICE}|{SPEED}|{PROMPTS[name]}".encode()).hexdigest()[:16]
    return prompts_dir() / f"{name}-{digest}.wav"


def render(name: str) -> Path:
    """The prompt's WAV file, synthesised now if it is not cached yet."""
    path = _path(name)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".wav", dir=path.parent)
    os.close(fd)
    try:
        subprocess.run(["espeak-ng", "-v", VOICE, "-s", str(SPEED), "-w", temporary, PROMPTS[name]],
                       check=True, capture_output=True, timeout=30)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def render_all() -> list[Path]:
    return [render(name) for name in PROMPTS]


def pcm(name: str) -> bytes:
    """The prompt as 48 kHz mono signed 16-bit samples (synthesised and cached on first use)."""
    with _lock:
        if name not in _loaded:
            _loaded[name] = _read_wav(render(name))
        return _loaded[name]


def _read_wav(path: Path) -> bytes:
    with wave.open(str(path), "rb") as source:
        rate, channels, width = source.getframerate(), source.getnchannels(), source.getsampwidth()
        data = source.readframes(source.getnframes())
    if width != 2:
        raise ValueError(f"{path}: expected 16-bit samples")
    frame = AudioFrame(format="s16", layout="mono" if channels == 1 else "stereo", samples=len(data) // (2 * channels))
    frame.planes[0].update(data)
    frame.sample_rate = rate
    resampler = AudioResampler(format="s16", layout="mono", rate=RATE)
    out = bytearray()
    for resampled in resampler.resample(frame) + resampler.resample(None):
        out += bytes(resampled.planes[0])[: resampled.samples * 2]
    return bytes(out)


class PromptTrack(AudioStreamTrack):
    """What a keypad caller hears before joining (and prompts during the call): queued speech, else silence."""

    def __init__(self):
        super().__init__()
        self._queue = bytearray()
        self._drained = asyncio.Event()
        self._drained.set()
        self._sent = 0
        self._paced_from: float | None = None

    async def play(self, name: str) -> None:
        """Queues the prompt and waits until it has been sent."""
        samples = await asyncio.get_running_loop().run_in_executor(None, pcm, name)
        self._queue += samples + bytes(FRAME_BYTES * 10)  # and 200 ms of silence after it
        self._drained.clear()
        await self._drained.wait()

    def interrupt(self) -> None:
        """Stops the prompt being played (the caller started typing)."""
        self._queue.clear()
        self._drained.set()

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._paced_from is None:
            self._paced_from = time.time()
        else:
            await asyncio.sleep(max(0.0, self._paced_from + self._sent / RATE - time.time()))
        chunk = bytes(self._queue[:FRAME_BYTES]).ljust(FRAME_BYTES, b"\0")
        del self._queue[:FRAME_BYTES]
        if not self._queue:
            self._drained.set()
        frame = AudioFrame(format="s16", layout="mono", samples=SAMPLES)
        frame.planes[0].update(chunk)
        frame.pts, frame.sample_rate, frame.time_base = self._sent, RATE, fractions.Fraction(1, RATE)
        self._sent += SAMPLES
        return frame

    def stop(self) -> None:
        self._drained.set()
        super().stop()
