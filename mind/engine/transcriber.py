"""Live transcription: the `transcriber` process (`manage.py mind_transcriber`, a Procfile entry).

While a conference's transcription is started (Mind API `PATCH …/transcription`) or its recording
runs, the transcriber listens to every participant's microphone (`transcriber_room.py`: Janus
`rtp_forward` → loopback UDP → `live_speech.py`: Opus → 16 kHz → voice activity → recogniser)
and stores each finished phrase as an utterance through `mind.services.add_utterances`, which
notifies the participants and the application at once (captions); while a phrase is still being
spoken, its text so far goes to the participants only, as interim text that is not stored
(`mind.services.show_interim_caption`):

    {timestamp: ms from the recording's start (when the conference has been recorded), else from
     the transcription's start, participantId, text}

Like the streamer (`streaming.py`), the database is the source of truth: on every wake-up (Redis
channel `CHANNEL`, published by the receivers of `transcription_changed`, `recording_changed` and
`conference_ended` in whichever process committed) and every SYNC_SECONDS it compares the
conferences that should be transcribed with those it transcribes. Each conference is held with a
Redis lease (`lease_key`, with the UDP ports of its forwarders), so several transcriber processes
share the work without doubling a conference, a dead one's conferences are taken over when its
leases expire, and the streaming reconciliation (`streaming.reconcile`) leaves our forwarders
alone. Utterances already stored are never touched: a transcriber or Janus restart only means a
gap while it resumes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket

import redis
import redis.asyncio as aioredis
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mind import services
from mind.engine.db import in_thread
from mind.engine.live_speech import RecogniserPool
from mind.engine.rooms import room_body
from mind.engine.stt import Segment
from mind.engine.transcriber_room import RoomTranscriber
from mind.models import Conference, RecordingState

logger = logging.getLogger(__name__)

CHANNEL = "confer:mind:transcription"
LEASE_PREFIX = "confer:mind:transcriber-lease:"
LEASE_SECONDS = 15
SYNC_SECONDS = 3.0


def lease_key(conference_id) -> str:
    return f"{LEASE_PREFIX}{conference_id}"


def _redis():
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)


# --- called from any process ----------------------------------------------------------------------


def request_sync(reason: str = "") -> bool:
    """Tells the transcriber processes to look at the database now (they also look every few s)."""
    try:
        with _redis() as client:
            client.publish(CHANNEL, json.dumps({"reason": reason}))
        return True
    except Exception as exc:  # noqa: BLE001
        logger.warning("could not notify the transcriber (%s): %s", reason, exc)
        return False


def leases() -> dict[str, dict]:
    """conference id -> lease value ({owner, ports}) of every conference being transcribed."""
    found = {}
    with _redis() as client:
        for key in client.scan_iter(match=f"{LEASE_PREFIX}*", count=500):
            raw = client.get(key)
            if raw:
                try:
                    found[key.decode()[len(LEASE_PREFIX):]] = json.loads(raw)
                except ValueError:
                    continue
    return found


def forwarded_ports() -> set[int]:
    """Loopback ports the live transcribers read (their Janus forwarders must be kept)."""
    return {port for lease in leases().values() for port in lease.get("ports", [])}


def wanted_conferences() -> dict[str, int]:
    """conference id -> Janus room id, of every live conference to transcribe now."""
    rows = (Conference.objects.filter(ending_at__gt=timezone.now())
            .filter(Q(transcription_started=True) | Q(recording_state=RecordingState.STARTED))
            .values_list("id", "janus_room_id"))
    return {str(cid): room for cid, room in rows}


def store_phrase(conference_id: str, participant_id: str, started_at: float, segments: list[Segment]) -> int:
    """Stores one phrase's segments as utterances (and so notifies them); returns how many.

    Dropped if the conference is gone or nobody wants it transcribed any more."""
    conference = Conference.objects.filter(pk=conference_id, ending_at__gt=timezone.now()).first()
    if conference is None or not (conference.transcription_started or conference.recording_started):
        return 0
    origin_ms = live_origin_ms(conference)
    if origin_ms is None:
        return 0
    utterances = [{"participantId": participant_id, "text": segment.text,
                   "timestamp": max(0, round(started_at * 1000 + segment.start * 1000 - origin_ms))}
                  for segment in segments if segment.text]
    if utterances:
        services.add_utterances(conference, utterances)
    return len(utterances)


def live_origin_ms(conference: Conference) -> int | None:
    """Time zero of live utterances (epoch ms): the recording's first start, as the final pass uses,
    or else the transcription's start."""
    if conference.recording_segments:
        return int(conference.recording_segments[0]["startedAt"])
    if conference.transcription_started_at is not None:
        return int(conference.transcription_started_at.timestamp() * 1000)
    return None


def _still_wanted(conference_id: str) -> bool:
    return conference_id in wanted_conferences()


# --- the transcriber process ------------------------------------------------------------------------

_RENEW = """
local holder = redis.call('get', KEYS[1])
local mine = holder and cjson.decode(holder)['owner'] == ARGV[3]
if mine or not holder then
  return redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return false
"""
_RELEASE = """
local holder = redis.call('get', KEYS[1])
if holder and cjson.decode(holder)['owner'] == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class Transcriber:
    """Keeps this process's room transcribers equal to the conferences the database wants."""

    def __init__(self, recognisers: int | None = None):
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"
        self.pool = RecogniserPool(recognisers or settings.MIND_TRANSCRIBER_RECOGNISERS,
                                   interim=settings.MIND_TRANSCRIBER_INTERIM_SECONDS > 0)
        self.rooms: dict[str, RoomTranscriber] = {}
        self._wake = asyncio.Event()
        self._redis: aioredis.Redis | None = None  # connected by run()

    @property
    def redis(self) -> aioredis.Redis:
        if self._redis is None:
            raise RuntimeError("the transcriber is not running: run() connects to Redis")
        return self._redis

    def lease(self, conference_id: str) -> str:
        room = self.rooms.get(conference_id)
        return json.dumps({"owner": self.owner, "ports": room.ports if room else []}, sort_keys=True)

    async def run(self, stop: asyncio.Event) -> None:
        self._redis = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5)
        # Recogniser processes start and load their models before the first phrase needs them.
        await asyncio.to_thread(self.pool.warm_up)
        listener = asyncio.create_task(self._listen())
        logger.info("transcriber %s ready (%s recognisers, engine %s)", self.owner, self.pool.size,
                    settings.STT_ENGINE)
        try:
            while not stop.is_set():
                try:
                    await self.sync()
                except Exception:
                    logger.exception("transcriber: sync failed")
                self._wake.clear()
                waits = [asyncio.create_task(self._wake.wait()), asyncio.create_task(stop.wait())]
                await asyncio.wait(waits, timeout=SYNC_SECONDS, return_when=asyncio.FIRST_COMPLETED)
                for task in waits:
                    task.cancel()
        finally:
            listener.cancel()
            await asyncio.gather(*(self._stop(cid) for cid in list(self.rooms)), return_exceptions=True)
            await self._redis.aclose()
            self.pool.close()

    async def _listen(self) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub()
                await pubsub.subscribe(CHANNEL)
                self._wake.set()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                logger.warning("transcriber: Redis subscription lost (%s); retrying", exc)
                await asyncio.sleep(1)

    async def sync(self) -> None:
        wanted = await in_thread(wanted_conferences)
        for conference_id in [cid for cid in self.rooms if cid not in wanted]:
            await self._stop(conference_id)
        for conference_id in list(self.rooms):
            if not await self._renew(conference_id):
                logger.warning("transcriber %s: lost its lease; another transcriber has it", conference_id)
                await self._stop(conference_id, release=False)
        for conference_id, room_id in wanted.items():
            if conference_id not in self.rooms:
                await self._start(conference_id, room_id)

    async def _renew(self, conference_id: str) -> bool:
        return bool(await self.redis.eval(_RENEW, 1, lease_key(conference_id), self.lease(conference_id),
                                           LEASE_SECONDS, self.owner))

    def _ports_changed(self, conference_id: str) -> None:
        # The lease carries the ports at once: the streaming reconciliation must see them.
        task = asyncio.create_task(self._renew(conference_id))
        task.add_done_callback(lambda t: t.exception() if not t.cancelled() else None)

    async def _start(self, conference_id: str, room_id: int) -> None:
        if not await self.redis.set(lease_key(conference_id), self.lease(conference_id), nx=True, ex=LEASE_SECONDS):
            return  # another transcriber has it
        room = RoomTranscriber(conference_id, room_id, self.pool, self._on_phrase(conference_id),
                               room_body=lambda: in_thread(room_body, conference_id),
                               still_wanted=lambda: in_thread(_still_wanted, conference_id),
                               on_ports=lambda: self._ports_changed(conference_id),
                               on_interim=self._on_interim(conference_id))
        self.rooms[conference_id] = room
        room.start()
        logger.info("transcriber %s: started", conference_id)

    def _on_phrase(self, conference_id: str):
        async def store(participant_id: str, started_at: float, segments: list[Segment]) -> None:
            try:
                await in_thread(store_phrase, conference_id, participant_id, started_at, segments)
            except Exception:  # the database away: this phrase is lost, the next one may not be
                logger.exception("transcriber %s: could not store a phrase", conference_id)
        return store

    def _on_interim(self, conference_id: str):
        async def show(participant_id: str, text: str) -> None:
            try:
                await in_thread(services.show_interim_caption, conference_id, participant_id, text)
            except Exception:  # a lost interim line is replaced by the phrase's final text anyway
                logger.exception("transcriber %s: could not send interim text", conference_id)
        return show

    async def _stop(self, conference_id: str, release: bool = True) -> None:
        room = self.rooms.pop(conference_id, None)
        if room is None:
            return
        await room.close()
        if release:
            await self.redis.eval(_RELEASE, 1, lease_key(conference_id), self.owner)
        logger.info("transcriber %s: stopped", conference_id)


def run_transcriber() -> None:
    """The `mind_transcriber` management command: runs until SIGTERM/SIGINT."""

    async def main():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await Transcriber().run(stop)

    asyncio.run(main())
