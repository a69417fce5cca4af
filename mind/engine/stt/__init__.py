"""Speech to text behind one small interface, chosen by settings.

An engine turns one phrase of speech (16 kHz mono signed 16-bit little-endian PCM, as the voice
activity detector cut it) into text segments with their offsets inside that phrase:

    engine = get_engine()
    for segment in engine.transcribe(pcm):
        segment.start, segment.end, segment.text   # seconds from the phrase's start

`settings.STT_ENGINE` picks the engine: `pocketsphinx` (the default: offline, its model ships in
the wheel), `openai` (any server speaking OpenAI's `/v1/audio/transcriptions`), or the dotted
path of a class of your own (adding an engine is one module with a class like these).
An engine other than the default is wrapped in `FallbackEngine`: when it fails or is too slow,
the phrase is transcribed by PocketSphinx instead, with a logged warning, and the failing engine
is left alone for `STT_FALLBACK_COOLDOWN` seconds. A transcript is never lost to a remote outage.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000  # what every engine receives
SAMPLE_WIDTH = 2  # bytes: signed 16-bit little-endian, mono

ENGINES = {
    "pocketsphinx": "mind.engine.stt.pocketsphinx_engine.PocketSphinxEngine",
    "openai": "mind.engine.stt.openai_engine.OpenAIEngine",
}
DEFAULT_ENGINE = "pocketsphinx"


class EngineError(Exception):
    """The engine could not transcribe this phrase (unreachable, too slow, bad answer)."""


@dataclass(frozen=True)
class Segment:
    start: float  # seconds from the start of the audio given to transcribe()
    end: float
    text: str


class Engine:
    """What every engine provides. Engines are used from one thread at a time per instance.

    The live transcriber hands a phrase over in pieces while it is being spoken: `begin()`,
    `feed(pcm)` for each piece, then `finish()` for its segments. By default the pieces are
    collected and `transcribe` runs at the end; an engine that can decode as audio arrives
    (PocketSphinx) overrides them, so only the phrase's tail is left to decode when it ends."""

    name = "engine"

    def transcribe(self, pcm: bytes) -> list[Segment]:  # pragma: no cover - the interface
        raise NotImplementedError

    def begin(self) -> None:
        self._pieces: list[bytes] = []

    def feed(self, pcm: bytes) -> None:
        self._pieces.append(pcm)

    def finish(self) -> list[Segment]:
        pcm, self._pieces = b"".join(getattr(self, "_pieces", [])), []
        return self.transcribe(pcm)


class FallbackEngine(Engine):
    """Tries `primary`; on EngineError uses `fallback` (and skips `primary` for a cool-down)."""

    def __init__(self, primary: Engine, fallback: Engine, cooldown: float, clock=time.monotonic):
        self.primary, self.fallback, self.cooldown, self.clock = primary, fallback, cooldown, clock
        self.name = primary.name
        self._resting_until = 0.0

    def transcribe(self, pcm: bytes) -> list[Segment]:
        if self.clock() >= self._resting_until:
            try:
                return self.primary.transcribe(pcm)
            except EngineError as exc:
                self._resting_until = self.clock() + self.cooldown
                log.warning("STT engine %s failed (%s); using %s (retrying %s in %.0f s)",
                            self.primary.name, exc, self.fallback.name, self.primary.name, self.cooldown)
        return self.fallback.transcribe(pcm)


def _engine_class(name: str):
    path = ENGINES.get(name, name)
    module_name, _, class_name = path.rpartition(".")
    if not module_name:
        raise ValueError(f"Unknown STT_ENGINE {name!r}: use one of {sorted(ENGINES)} or a dotted class path")
    return getattr(import_module(module_name), class_name)


def build_engine(name: str | None = None) -> Engine:
    """A new engine as configured (with the default as its fallback when it is not the default)."""
    name = name or settings.STT_ENGINE
    engine = _engine_class(name).from_settings()
    if name == DEFAULT_ENGINE:
        return engine
    return FallbackEngine(engine, _engine_class(DEFAULT_ENGINE).from_settings(), settings.STT_FALLBACK_COOLDOWN)


_local = threading.local()


def get_engine() -> Engine:
    """This thread's engine (engines load models once and are not thread-safe)."""
    key = settings.STT_ENGINE
    cached = getattr(_local, "engines", None)
    if cached is None:
        cached = _local.engines = {}
    if key not in cached:
        cached[key] = build_engine(key)
    return cached[key]


def duration(pcm: bytes) -> float:
    return len(pcm) / (SAMPLE_RATE * SAMPLE_WIDTH)
