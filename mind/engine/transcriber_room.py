"""The transcriber's presence in one conference's VideoRoom, and a Janus forwarder per microphone.

Like a streaming's stage (`streaming_stage.py`), it joins the room as a publisher handle that never
publishes (its own ACL token, `display = "transcriber:<conferenceId>"`, `opaque_id =
"mind-transcriber:<conferenceId>"`), so Janus tells it about feeds coming and going. Every
participant's primary feed with an enabled Opus audio stream gets one `rtp_forward` (room secret +
VideoRoom admin key) to a loopback UDP port of this process, read by a `SpeakerStream`
(`live_speech.py`). Screen-share audio is not anyone's voice and is left out, as in the final pass.

Followed: a publisher who joins (forwarder started), mutes (the room republishes without audio: the
stream is disabled or gone, so the forwarder stops and the phrase in progress ends), unmutes or
changes device (a new run of packets on the same or a new forwarder), leaves (Janus drops its
forwarders; the speaker is closed). If Janus goes away (restart, crash) the room is re-created and
joined again once it answers, and forwarders follow as participants republish.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from typing import Awaitable, Callable

from django.conf import settings

from mind.engine import janus_pool, rooms
from mind.engine.janus_ws import JanusError, JanusHandle, JanusSession
from mind.engine.live_speech import InterimCallback, PhraseCallback, RecogniserPool, SpeakerStream, UdpReceiver

logger = logging.getLogger(__name__)

OPAQUE_PREFIX = "mind-transcriber:"  # opaque_id "mind-transcriber:<conferenceId>"
AUDIO_CODECS = ("opus",)
RETRY_MAX_SECONDS = 5.0
TICK_SECONDS = 0.25


def acl_token(conference_id) -> str:
    return rooms.participant_acl_token(f"transcriber:{conference_id}")


class _Lost(Exception):
    """Our Janus session is gone (Janus restarted, or the room was destroyed)."""


def voices(feeds: dict[int, dict]) -> dict[tuple[int, str], str]:
    """(feed id, audio mid) -> participant id, for every enabled Opus microphone stream."""
    wanted = {}
    for feed_id, feed in feeds.items():
        if feed["media"] != rooms.PRIMARY:
            continue
        for stream in feed["streams"]:
            if (stream.get("type") == "audio" and not stream.get("disabled")
                    and (stream.get("codec") or "").lower() in AUDIO_CODECS):
                wanted[(feed_id, stream["mid"])] = feed["participantId"]
    return wanted


class _Forwarder:
    def __init__(self, participant_id: str, stream: SpeakerStream, receiver: UdpReceiver):
        self.participant_id = participant_id
        self.stream = stream
        self.receiver = receiver
        self.stream_id: int | None = None


class RoomTranscriber:
    def __init__(self, conference_id, room_id: int, pool: RecogniserPool, on_phrase: PhraseCallback, *,
                 room_body: Callable[[], Awaitable[dict]], still_wanted: Callable[[], Awaitable[bool]],
                 on_ports: Callable[[], None] = lambda: None, on_interim: InterimCallback | None = None):
        self.conference_id = str(conference_id)
        self.room_id = room_id
        self.pool = pool
        self.on_phrase = on_phrase
        self.on_interim = on_interim
        self._room_body = room_body
        self._still_wanted = still_wanted
        self._on_ports = on_ports  # the lease lists our ports (the reconciliation keeps their forwarders)
        self.session: JanusSession | None = None
        self.handle: JanusHandle | None = None
        self.feeds: dict[int, dict] = {}
        self.forwarders: dict[tuple[int, str], _Forwarder] = {}
        self._events: asyncio.Queue = asyncio.Queue()
        self._task: asyncio.Task | None = None
        self._ticker: asyncio.Task | None = None
        self._closing: set[asyncio.Task] = set()  # speakers delivering their last phrase
        self.closed = False

    @property
    def opaque_id(self) -> str:
        return f"{OPAQUE_PREFIX}{self.conference_id}"

    @property
    def ports(self) -> list[int]:
        return sorted(f.receiver.port for f in self.forwarders.values())

    def speakers(self) -> dict[str, int]:
        """participant id -> packets received (for logs and tests)."""
        return {f.participant_id: f.stream.packets for f in self.forwarders.values()}

    def start(self) -> None:
        self._task = asyncio.create_task(self.run())
        self._ticker = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(TICK_SECONDS)
            now = time.monotonic()
            late = now - last > 3 * TICK_SECONDS
            last = now
            if late:
                continue  # this process was stalled: packets may still be queued, not missing
            for forwarder in list(self.forwarders.values()):
                forwarder.stream.tick()

    # --- lifecycle -----------------------------------------------------------------------------

    async def run(self) -> None:
        delay = 0.25
        while not self.closed:
            try:
                await self._open()
                delay = 0.25
                await self._apply()
                while not self.closed:
                    message = await self._events.get()
                    if message is None:
                        raise _Lost
                    if self._handle(message):
                        await self._apply()
            except (JanusError, _Lost) as exc:
                if self.closed:
                    return
                logger.info("transcriber %s: Janus lost us (%s); starting over", self.conference_id, exc or "lost")
            except Exception:
                if self.closed:
                    return
                logger.exception("transcriber %s: the room watcher failed; starting over", self.conference_id)
            try:
                await self._drop_session()
                if not await self._still_wanted():
                    return
            except Exception:
                logger.exception("transcriber %s: recovering failed", self.conference_id)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_SECONDS)

    async def _open(self) -> None:
        self._events = asyncio.Queue()
        connection = await janus_pool.connection_for(self.conference_id)  # the room's server, asked anew
        self.session = await connection.create_session(on_lost=lambda: self._events.put_nowait(None))
        self.handle = await self.session.attach(self._events.put_nowait, opaque_id=self.opaque_id)
        try:
            await self.handle.message(await self._room_body())
        except JanusError as exc:
            if exc.code != rooms.ROOM_EXISTS:
                raise
        await self.handle.message({
            "request": "allowed", "room": self.room_id, "secret": rooms.room_secret(self.conference_id),
            "action": "add", "allowed": [acl_token(self.conference_id)],
        })
        data, _ = await self.handle.message({
            "request": "join", "ptype": "publisher", "room": self.room_id, "id": secrets.randbelow(2**53 - 1) + 1,
            "display": f"transcriber:{self.conference_id}", "token": acl_token(self.conference_id),
        })
        self.feeds = {}
        self._add_feeds(data.get("publishers", []))

    async def _drop_session(self) -> None:
        session, self.session, self.handle = self.session, None, None
        self.feeds = {}
        for key in list(self.forwarders):
            await self._close_forwarder(key)
        if session is not None:
            await session.destroy()

    async def close(self) -> None:
        """Stops the forwarders, delivers the phrases in progress, leaves the room."""
        if self.closed:
            return
        self.closed = True
        self._events.put_nowait(None)
        for task in (self._task, self._ticker):
            if task is not None:
                task.cancel()
        await asyncio.gather(*(t for t in (self._task, self._ticker) if t), return_exceptions=True)
        if self.handle is not None and self.session is not None and self.session.alive:
            for key in list(self.forwarders):
                await self._stop_forwarder(key)
            try:
                await self.handle.message({
                    "request": "allowed", "room": self.room_id, "secret": rooms.room_secret(self.conference_id),
                    "action": "remove", "allowed": [acl_token(self.conference_id)],
                })
            except JanusError:
                pass  # the room may be gone already
        await self._drop_session()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    # --- room events ---------------------------------------------------------------------------

    def _handle(self, message: dict) -> bool:
        if message.get("janus") != "event":
            return False
        data = message.get("plugindata", {}).get("data", {})
        if data.get("videoroom") == "destroyed":
            raise _Lost("the room was destroyed")
        if data.get("leaving") == "ok":
            raise _Lost("left the room")
        changed = self._add_feeds(data.get("publishers", []))
        for key in ("unpublished", "leaving", "kicked"):
            feed_id = data.get(key)
            if isinstance(feed_id, int) and self.feeds.pop(feed_id, None) is not None:
                changed = True
        return changed

    def _add_feeds(self, publishers: list) -> bool:
        changed = False
        for feed in publishers:
            parsed = rooms.parse_display(feed.get("display"))
            if not parsed:
                continue
            entry = {"participantId": parsed[0], "media": parsed[1],
                     "streams": [{"mid": s.get("mid"), "type": s.get("type"), "codec": s.get("codec"),
                                  "disabled": bool(s.get("disabled"))} for s in feed.get("streams", [])]}
            if self.feeds.get(feed["id"]) != entry:
                self.feeds[feed["id"]] = entry
                changed = True
        return changed

    # --- forwarders ----------------------------------------------------------------------------

    async def _apply(self) -> None:
        wanted = voices(self.feeds)
        for key in [k for k in self.forwarders if k not in wanted]:
            feed_gone = key[0] not in self.feeds  # Janus dropped a leaving publisher's forwarders itself
            if feed_gone:
                await self._close_forwarder(key)
            else:
                await self._stop_forwarder(key)
        for key, participant_id in wanted.items():
            if key not in self.forwarders:
                await self._start_forwarder(key, participant_id)
        self._on_ports()
        logger.info("transcriber %s listening to %s", self.conference_id,
                    sorted(f.participant_id for f in self.forwarders.values()))

    async def _start_forwarder(self, key: tuple[int, str], participant_id: str) -> None:
        feed_id, mid = key
        stream = SpeakerStream(participant_id, self.pool, self.on_phrase, on_interim=self.on_interim,
                               interim_seconds=settings.MIND_TRANSCRIBER_INTERIM_SECONDS)
        forwarder = _Forwarder(participant_id, stream, await UdpReceiver.open(stream, settings.MIND_RTP_FORWARD_HOST))
        self.forwarders[key] = forwarder
        if self.handle is None:  # the room closed meanwhile
            raise JanusError(f"transcriber {self.conference_id}: the Janus handle is closed")
        try:
            data, _ = await self.handle.message({
                "request": "rtp_forward", "room": self.room_id, "publisher_id": feed_id,
                "host": settings.MIND_RTP_FORWARD_HOST, "host_family": "ipv4",
                "streams": [{"mid": mid, "port": forwarder.receiver.port, "ssrc": secrets.randbits(31) + 1}],
                "secret": rooms.room_secret(self.conference_id), "admin_key": settings.JANUS_ROOM_ADMIN_KEY,
            })
        except JanusError as exc:
            if exc.code is None:
                raise
            logger.info("transcriber %s: rtp_forward of feed %s refused: %s", self.conference_id, feed_id, exc)
            await self._close_forwarder(key)
            return
        found = data.get("forwarders") or []
        if not found:
            await self._close_forwarder(key)
            return
        forwarder.stream_id = found[0]["stream_id"]

    async def _stop_forwarder(self, key: tuple[int, str]) -> None:
        forwarder = self.forwarders.get(key)
        if forwarder is not None and forwarder.stream_id is not None and self.handle is not None:
            try:
                await self.handle.message({
                    "request": "stop_rtp_forward", "room": self.room_id, "publisher_id": key[0],
                    "stream_id": forwarder.stream_id, "secret": rooms.room_secret(self.conference_id),
                    "admin_key": settings.JANUS_ROOM_ADMIN_KEY,
                })
            except JanusError as exc:
                if exc.code is None:
                    await self._close_forwarder(key)
                    raise
                logger.debug("transcriber %s: stop_rtp_forward: %s", self.conference_id, exc)
        await self._close_forwarder(key)

    async def _close_forwarder(self, key: tuple[int, str]) -> None:
        forwarder = self.forwarders.pop(key, None)
        if forwarder is None:
            return
        forwarder.receiver.close()
        # The phrase in progress is still recognised and stored, without holding up the room.
        task = asyncio.create_task(forwarder.stream.close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)
