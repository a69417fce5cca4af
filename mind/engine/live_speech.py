"""One speaker's live audio → phrases → text, for the transcriber process.

`SpeakerStream.packet(rtp, arrived)` takes the Opus RTP packets Janus forwards for one publisher's
microphone. They are decoded (PyAV), resampled to 16 kHz mono s16le and cut into phrases by
PocketSphinx's endpointer (WebRTC's voice-activity detector, the same one the final pass uses
through `mind.engine.stt.phrases`). A phrase is handed to a recogniser from the shared
`RecogniserPool` (recogniser processes) when it ends: PocketSphinx decodes a phrase best whole
(normalised by its own cepstral mean; docs/transcription.md). Each finished phrase is reported with its wall-clock start:
`on_phrase(participant_id, started_at (epoch s), [Segment])`.

Interim text: while a phrase is still being spoken, every INTERIM_SECONDS of speech its beginning so
far is decoded whole by the pool's low-priority interim recogniser when it is free (finished
phrases come first) and reported as `on_interim(participant_id, text)`, for captions that grow while people speak;
the phrase's final text replaces it. A phrase that ends with no text after interim text reports
`on_interim(participant_id, "")` (nothing to show any more).

Time: a continuous run of packets is anchored at the arrival time of its first packet (or, for
the same sender after a pause, where its RTP clock puts it, if that agrees with the arrival within
MAX_CLOCK_DRIFT_SECONDS); later samples are placed by their RTP timestamps, and short gaps (lost
packets, discontinuous transmission) are filled with silence so the endpointer's clock stays
true. A new SSRC, a jump of more than MAX_GAP_SECONDS or a step backwards starts a new run (a
republished or replaced microphone). Each speaker's phrases are delivered in the order spoken. A phrase in progress ends when its run ends, when the speaker has been silent (no
packets) for IDLE_SECONDS (muted, left), or at MAX_PHRASE_SECONDS.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import socket
import struct
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Awaitable, Callable

import av
from pocketsphinx import Endpointer

from mind import recogniser_process
from mind.engine.stt import SAMPLE_RATE, SAMPLE_WIDTH, EngineError, Segment

logger = logging.getLogger(__name__)

OPUS_RATE = 48000
MAX_GAP_SECONDS = 1.0
IDLE_SECONDS = 1.0
MAX_PHRASE_SECONDS = 25.0
MAX_CLOCK_DRIFT_SECONDS = 5.0  # a sender's RTP clock is trusted across a pause if it agrees this well
RECEIVE_BUFFER_BYTES = 1 << 20
VAD_WINDOW_SECONDS = 0.3  # as the final pass (mind.engine.stt.phrases)
INTERIM_SECONDS = 2.0  # of speech between two interim decodes of a phrase in progress (0: none)
INTERIM_NICENESS = 5  # the interim recogniser's lower CPU priority: a third of a finished phrase's share

PhraseCallback = Callable[[str, float, list[Segment]], Awaitable[None]]
InterimCallback = Callable[[str, str], Awaitable[None]]


def parse_rtp(data: bytes) -> tuple[int, int, int, bytes] | None:
    """(sequence number, timestamp, ssrc, payload) of an RTP packet; None if it is not one."""
    if len(data) < 12 or data[0] >> 6 != 2:
        return None
    first, _, seq, ts, ssrc = struct.unpack("!BBHII", data[:12])
    offset = 12 + 4 * (first & 0x0F)
    if first & 0x10:  # header extension
        if len(data) < offset + 4:
            return None
        offset += 4 + 4 * struct.unpack("!H", data[offset + 2:offset + 4])[0]
    end = len(data)
    if first & 0x20 and end > offset:  # padding
        end -= data[-1]
    if end <= offset:
        return None
    return seq, ts, ssrc, data[offset:end]


class RecogniserPool:
    """`size` recogniser processes, each holding one engine (`build_engine()`), recognising one
    phrase at a time (`mind.recogniser_process`); a phrase that ends while all are busy waits for one.
    With `interim`, one more process, at a lower CPU priority (`interim_niceness`), decodes phrases still being spoken
    (`claim_interim`, `transcribe_interim(pcm)`, `release_interim`): interim text takes only the CPU
    that finished phrases leave, so it never slows their final text.

    Processes, not threads: PocketSphinx's binding never releases the GIL, so recognisers on
    threads ran one at a time and stalled this process's event loop (packet handling, VAD) while
    they decoded. A recogniser process that dies is replaced (its executor is made anew)."""

    def __init__(self, size: int, interim: bool = False, interim_niceness: int = INTERIM_NICENESS):
        self.size = max(1, size)
        self.interim_niceness = interim_niceness
        self.executor = self._make_executor("executor")
        self.interim_executor = self._make_executor("interim_executor") if interim else None
        self.interim_busy = False
        self.busy = 0  # finished phrases being recognised or waiting for a recogniser

    def _make_executor(self, which: str) -> ProcessPoolExecutor:
        # spawn: the transcriber has threads and open sockets; a forked child would inherit them.
        spawn = multiprocessing.get_context("spawn")
        if which == "executor":
            return ProcessPoolExecutor(self.size, mp_context=spawn, initializer=recogniser_process.start)
        return ProcessPoolExecutor(1, mp_context=spawn, initializer=recogniser_process.start_in_background,
                                   initargs=(self.interim_niceness,))

    def claim_interim(self) -> bool:
        """Takes the interim recogniser if there is one, it is free and no finished phrase is being
        recognised (the CPU is theirs first); `release_interim` gives it back."""
        if self.interim_executor is None or self.interim_busy or self.busy:
            return False
        self.interim_busy = True
        return True

    def release_interim(self) -> None:
        self.interim_busy = False

    def warm_up(self) -> None:
        """Starts the processes and loads their models now, not on the first phrase."""
        futures = [self.executor.submit(recogniser_process.transcribe, b"") for _ in range(self.size)]
        if self.interim_executor is not None:
            futures.append(self.interim_executor.submit(recogniser_process.transcribe, b""))
        for future in futures:
            future.result()

    async def transcribe(self, pcm: bytes) -> list[Segment]:
        self.busy += 1
        try:
            return await self._run("executor", pcm)
        finally:
            self.busy -= 1

    async def transcribe_interim(self, pcm: bytes) -> list[Segment]:
        """A phrase still being spoken, on the interim recogniser (taken with `claim_interim`)."""
        return await self._run("interim_executor", pcm)

    async def _run(self, which: str, pcm: bytes) -> list[Segment]:
        executor = getattr(self, which)
        try:
            return await asyncio.wrap_future(executor.submit(recogniser_process.transcribe, pcm))
        except BrokenProcessPool as exc:
            if getattr(self, which) is executor:
                setattr(self, which, self._make_executor(which))
                executor.shutdown(wait=False, cancel_futures=True)
            raise EngineError(f"a recogniser process died: {exc}") from exc

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.interim_executor is not None:
            self.interim_executor.shutdown(wait=False, cancel_futures=True)


class _Phrase:
    """One phrase on its way to the recogniser: audio pieces in a queue, None at the end (and all
    of it so far in `pcm`, for interim text)."""

    def __init__(self, started_at: float, interim_seconds: float):
        self.started_at = started_at
        self.seconds = 0.0
        self.queue: asyncio.Queue = asyncio.Queue()
        self.pcm = bytearray()
        self.next_interim = interim_seconds  # of speech: when the first interim decode is due
        self.interim: asyncio.Task | None = None  # at most one interim decode at a time
        self.shown = False  # interim text was reported
        self.final = False  # the final text is being delivered: interim text is stale
        self.previous: asyncio.Task | None = None  # the delivery of the phrase before this one


class SpeakerStream:
    def __init__(self, participant_id: str, pool: RecogniserPool, on_phrase: PhraseCallback,
                 clock: Callable[[], float] = time.time, on_interim: InterimCallback | None = None,
                 interim_seconds: float = INTERIM_SECONDS):
        self.participant_id = participant_id
        self.pool = pool
        self.on_phrase = on_phrase
        self.on_interim = on_interim
        self.interim_seconds = interim_seconds
        self.clock = clock
        # Made anew for every run of packets (_new_run), so no state leaks across a device change.
        self.decoder: av.AudioCodecContext | None = None
        self.resampler: av.AudioResampler | None = None
        self.endpointer: Endpointer | None = None
        self.ssrc: int | None = None
        self.origin_at = 0.0  # wall clock of the run's first sample
        self.origin_ts = 0
        self.next_ts: int | None = None
        self.last_seq: int | None = None
        self.last_packet_at = 0.0
        self.pending = b""  # resampled audio not yet a whole endpointer frame
        self.fed_samples = 0  # 16 kHz samples given to the endpointer in this run
        self.phrase: _Phrase | None = None
        self.tasks: set[asyncio.Task] = set()
        self._last_delivery: asyncio.Task | None = None  # phrases are delivered in the order spoken
        self._delivering = asyncio.Lock()  # one delivery (final or interim text) at a time
        self.packets = 0
        self.phrases = 0

    # --- input -----------------------------------------------------------------------------

    def packet(self, data: bytes, arrived: float | None = None) -> None:
        parsed = parse_rtp(data)
        if parsed is None:
            return
        seq, ts, ssrc, payload = parsed
        arrived = self.clock() if arrived is None else arrived
        if self.ssrc == ssrc and self.last_seq is not None and not 0 < ((seq - self.last_seq) & 0xFFFF) < 0x8000:
            return  # late or duplicate: dropped (a late 20 ms is not worth reordering for)
        if self.ssrc != ssrc or self.next_ts is None or not self._continues(ts):
            self._new_run(ssrc, ts, arrived)
        elif ts != self.next_ts:
            self._silence((ts - self.next_ts) & 0xFFFFFFFF)
        self.last_seq, self.last_packet_at = seq, arrived
        self.packets += 1
        assert self.decoder is not None and self.resampler is not None  # made by _new_run: every stream starts a run
        try:
            frames = self.decoder.decode(av.Packet(payload))
        except av.FFmpegError as exc:
            logger.debug("%s: undecodable Opus packet: %s", self.participant_id, exc)
            frames = []
        samples = 0
        for frame in frames:
            samples += frame.samples
            for out in self.resampler.resample(frame):
                self._audio(bytes(out.planes[0])[:out.samples * SAMPLE_WIDTH])
        self.next_ts = (ts + (samples or 960)) & 0xFFFFFFFF

    def _continues(self, ts: int) -> bool:
        assert self.next_ts is not None  # packet() starts a new run instead
        ahead = (ts - self.next_ts) & 0xFFFFFFFF
        return ahead <= MAX_GAP_SECONDS * OPUS_RATE

    def _new_run(self, ssrc: int, ts: int, arrived: float) -> None:
        self._end_run()
        predicted = self.origin_at + ((ts - self.origin_ts) & 0xFFFFFFFF) / OPUS_RATE
        if ssrc == self.ssrc and self.origin_at and abs(predicted - arrived) < MAX_CLOCK_DRIFT_SECONDS:
            # The same sender after a pause (DTX, a stall): its RTP clock places the new run more
            # truly than this process's arrival time, which a busy event loop delays. A sender whose
            # clock started over (a replaced track) is far off, and placed by arrival instead.
            self.origin_at = predicted
        else:
            self.origin_at = arrived
        self.ssrc, self.origin_ts = ssrc, ts
        self.next_ts, self.last_seq = ts, None
        self.endpointer = Endpointer(window=VAD_WINDOW_SECONDS, sample_rate=SAMPLE_RATE)
        self.pending, self.fed_samples = b"", 0
        self.decoder = av.CodecContext.create("opus", "r")
        self.resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)

    def _silence(self, opus_samples: int) -> None:
        self._audio(bytes(SAMPLE_WIDTH * (opus_samples * SAMPLE_RATE // OPUS_RATE)))

    def _audio(self, pcm: bytes) -> None:
        self.pending += pcm
        assert self.endpointer is not None  # made by _new_run, before any audio of the run
        size = self.endpointer.frame_bytes
        while len(self.pending) >= size:
            frame, self.pending = self.pending[:size], self.pending[size:]
            self.fed_samples += size // SAMPLE_WIDTH
            speech = self.endpointer.process(frame)
            if speech is None:
                continue
            if self.phrase is None:
                self._start_phrase(self.origin_at + self.endpointer.speech_start)
            self._speech(speech)
            if not self.endpointer.in_speech:
                self._end_phrase()
            elif self.phrase is not None and self.phrase.seconds >= MAX_PHRASE_SECONDS:
                self._end_phrase()  # the speech goes on in a new phrase

    # --- phrases ---------------------------------------------------------------------------

    def _start_phrase(self, started_at: float) -> None:
        self.phrase = _Phrase(started_at, self.interim_seconds)
        # Phrases may be recognised in parallel (a long one finishes after a short later one) but
        # are delivered in the order they were spoken: each waits for its predecessor's delivery.
        self.phrase.previous = self._last_delivery
        task = asyncio.get_running_loop().create_task(self._recognise(self.phrase, self._last_delivery))
        self._last_delivery = task
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _speech(self, pcm: bytes) -> None:
        phrase = self.phrase
        assert phrase is not None  # _audio starts a phrase before it feeds one
        phrase.seconds += len(pcm) / (SAMPLE_RATE * SAMPLE_WIDTH)
        phrase.queue.put_nowait(pcm)
        if self.on_interim is None or self.interim_seconds <= 0:
            return
        phrase.pcm += pcm
        if phrase.seconds >= phrase.next_interim and phrase.interim is None and self.pool.claim_interim():
            phrase.next_interim = phrase.seconds + self.interim_seconds
            phrase.interim = asyncio.get_running_loop().create_task(self._interim(phrase, bytes(phrase.pcm)))
            self.tasks.add(phrase.interim)
            phrase.interim.add_done_callback(self.tasks.discard)
            phrase.interim.add_done_callback(lambda _: self.pool.release_interim())  # even if cancelled

    def _end_phrase(self) -> None:
        if self.phrase is not None:
            self.phrase.queue.put_nowait(None)
            self.phrase.pcm = bytearray()  # no more interim text: the whole phrase is on its way
            self.phrase = None
            self.phrases += 1

    def _end_run(self) -> None:
        """The run of packets is over: what the endpointer still holds as speech ends the phrase."""
        if self.endpointer is not None and self.endpointer.in_speech:
            rest = self.pending[:self.endpointer.frame_bytes]
            speech = self.endpointer.end_stream(rest)
            if speech:
                if self.phrase is None:
                    self._start_phrase(self.origin_at + self.endpointer.speech_start)
                self._speech(speech)
        self._end_phrase()
        self.endpointer = None
        self.next_ts = None

    def tick(self, now: float | None = None) -> None:
        """Called periodically: a speaker who stopped sending (muted, left) finishes their phrase."""
        now = self.clock() if now is None else now
        if self.endpointer is not None and now - self.last_packet_at > IDLE_SECONDS:
            self._end_run()

    async def _recognise(self, phrase: _Phrase, previous: asyncio.Task | None) -> None:
        pieces = []
        while (piece := await phrase.queue.get()) is not None:
            pieces.append(piece)
        segments = []
        try:
            segments = await self.pool.transcribe(b"".join(pieces))
        except EngineError as exc:
            logger.warning("%s: a phrase could not be transcribed: %s", self.participant_id, exc)
        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)
        async with self._delivering:
            phrase.final = True
            if segments:
                await self.on_phrase(self.participant_id, phrase.started_at, segments)
            elif phrase.shown and self.on_interim is not None:
                await self.on_interim(self.participant_id, "")

    async def _interim(self, phrase: _Phrase, pcm: bytes) -> None:
        """The phrase so far, decoded whole: shown until its final text comes (which wins)."""
        assert self.on_interim is not None  # only started with a callback
        try:
            segments = await self.pool.transcribe_interim(pcm)
        except EngineError:
            return  # interim text is a nicety; the final decode reports failures
        finally:
            phrase.interim = None
        text = " ".join(segment.text for segment in segments).strip()
        async with self._delivering:  # never after the final text, nor before the last phrase's
            if text and not phrase.final and (phrase.previous is None or phrase.previous.done()):
                phrase.shown = True
                await self.on_interim(self.participant_id, text)

    async def close(self) -> None:
        """Ends the phrase in progress and waits until every phrase is delivered."""
        self._end_run()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)


class UdpReceiver(asyncio.DatagramProtocol):
    """A loopback UDP port that hands every datagram to a SpeakerStream."""

    def __init__(self, stream: SpeakerStream):
        self.stream = stream
        self.transport: asyncio.DatagramTransport | None = None

    @classmethod
    async def open(cls, stream: SpeakerStream, host: str = "127.0.0.1") -> "UdpReceiver":
        receiver = cls(stream)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # Room for seconds of packets while the process is busy (the kernel's default is ~3 s).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        sock.bind((host, 0))  # MIND_RTP_FORWARD_HOST: where Janus's forwarder reaches us
        await asyncio.get_running_loop().create_datagram_endpoint(lambda: receiver, sock=sock)
        return receiver

    @property
    def port(self) -> int:
        if self.transport is None:
            raise RuntimeError("the receiver has no socket yet: make it with UdpReceiver.open")
        return self.transport.get_extra_info("sockname")[1]

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        try:
            self.stream.packet(data)
        except Exception:  # one bad packet must not take the speaker down
            logger.exception("%s: packet handling failed", self.stream.participant_id)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
