"""Audio plumbing of a SIP bridge: the conference's voices mixed into the one stream a phone takes.

The conference side receives one audio track per speaking feed; a SIP call carries one audio
stream. AudioMixer reads every source track (decoded by aiortc), resamples to 48 kHz mono,
buffers a little per source and, every 20 ms, sums one frame from each (clipped). A source with
nothing buffered contributes silence, so a stalled or departed feed never stalls the call.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from array import array
from typing import cast

from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, MediaStreamTrack
from av import AudioFrame, AudioResampler

RATE = 48000
SAMPLES = 960  # 20 ms
FRAME_BYTES = SAMPLES * 2
MAX_BUFFERED_BYTES = FRAME_BYTES * 10  # beyond 200 ms behind, drop the oldest: latency over completeness


class _Source:
    def __init__(self, track: MediaStreamTrack):
        self.track = track
        self.buffer = bytearray()
        self.resampler = AudioResampler(format="s16", layout="mono", rate=RATE)
        self.task: asyncio.Task = asyncio.ensure_future(self.pump())

    async def pump(self) -> None:
        try:
            while True:
                frame = cast(AudioFrame, await self.track.recv())  # an audio track's frames
                for out in self.resampler.resample(frame):
                    self.buffer += bytes(out.planes[0])[: out.samples * 2]
                if len(self.buffer) > MAX_BUFFERED_BYTES:
                    del self.buffer[: len(self.buffer) - MAX_BUFFERED_BYTES]
        except MediaStreamError:
            pass

    def take(self) -> array | None:
        if len(self.buffer) < FRAME_BYTES:
            return None
        chunk = array("h", bytes(self.buffer[:FRAME_BYTES]))
        del self.buffer[:FRAME_BYTES]
        return chunk


class AudioMixer(AudioStreamTrack):
    def __init__(self):
        super().__init__()
        self._sources: list[_Source] = []
        self._sent = 0
        self._paced_from: float | None = None  # not `_start`: AudioStreamTrack has its own

    def add(self, track: MediaStreamTrack) -> None:
        self._sources.append(_Source(track))

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._paced_from is None:
            self._paced_from = time.time()
        else:  # pace ourselves: aiortc sends frames as fast as recv() returns them
            await asyncio.sleep(max(0.0, self._paced_from + self._sent / RATE - time.time()))
        self._sources = [s for s in self._sources if not (s.task.done() and len(s.buffer) < FRAME_BYTES)]
        chunks = [chunk for chunk in (s.take() for s in self._sources) if chunk is not None]
        frame = AudioFrame(format="s16", layout="mono", samples=SAMPLES)
        frame.planes[0].update(_mix(chunks).tobytes())
        frame.pts, frame.sample_rate, frame.time_base = self._sent, RATE, fractions.Fraction(1, RATE)
        self._sent += SAMPLES
        return frame

    def stop(self) -> None:
        for source in self._sources:
            source.task.cancel()
        self._sources = []
        super().stop()


def _mix(chunks: list[array]) -> array:
    if not chunks:
        return array("h", bytes(FRAME_BYTES))
    if len(chunks) == 1:
        return chunks[0]
    return array("h", (max(-32768, min(32767, sum(samples))) for samples in zip(*chunks, strict=False)))
