"""Which media of a conference a streaming shows, and the Janus forwarders that deliver it.

A streaming watches its conference's VideoRoom through a publisher handle of its own that never
publishes (it is how Janus tells it about feeds coming and going, exactly as for a participant
session); the handle joins with an ACL token derived from the streaming id and is tagged
`opaque_id = "mind-streaming:<conferenceId>:<streamingId>"` for the reconciliation task.

The main stage: the most recent screen share (a participant's secondary feed with video) if
there is one, otherwise the first camera publisher still in the room. Audio: the main stage's
feed first, then every other feed in the order they appeared, up to the relay's audio slots
(ffmpeg mixes them). Only VP8 video and Opus audio are forwarded (the room's first codecs, which
every browser negotiates).

Each slot gets its own `rtp_forward` (room secret + VideoRoom admin key, as `lock_rtp_forward`
requires) with an SSRC unique to that forwarder, so the relay can tell new packets from old ones
still in flight. When the stage changes, the old forwarder of a slot is stopped and a new one
started to the same relay port; the relay then waits for the new source's keyframe and asks for
one at once (RTCP PLI to the forwarder's RTCP port). If Janus goes away (restart, crash) the
watcher starts over once it answers again: room re-created, joined, forwarders re-established.
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
from mind.engine.streaming_relay import Relay, Slot

logger = logging.getLogger(__name__)

OPAQUE_PREFIX = "mind-streaming:"  # opaque_id "mind-streaming:<conferenceId>:<streamingId>"
VIDEO_CODECS = ("vp8",)
AUDIO_CODECS = ("opus",)
RETRY_MAX_SECONDS = 5.0


def acl_token(streaming_id) -> str:
    return rooms.participant_acl_token(f"streaming:{streaming_id}")


def display(streaming_id) -> str:
    return f"streaming:{streaming_id}"


class _Lost(Exception):
    """Our Janus session is gone (Janus restarted, or the room was destroyed)."""


def choose_stage(feeds: dict[int, dict], audio_slots: int) -> tuple[tuple[int, str, bool] | None, list[tuple[int, str]]]:
    """What should be on air now: the video (feed id, mid, simulcast) and up to `audio_slots`
    audio streams (feed id, mid), the main stage's first."""
    def streams(feed, kind, codecs):
        return [s for s in feed["streams"]
                if s.get("type") == kind and not s.get("disabled") and (s.get("codec") or "").lower() in codecs]

    with_video = [(feed_id, feed) for feed_id, feed in feeds.items() if streams(feed, "video", VIDEO_CODECS)]
    shares = [(feed_id, feed) for feed_id, feed in with_video if feed["media"] == rooms.SECONDARY]
    stage = shares[-1] if shares else (with_video[0] if with_video else None)
    video = None
    if stage is not None:
        stream = streams(stage[1], "video", VIDEO_CODECS)[0]
        video = (stage[0], stream["mid"], bool(stream.get("simulcast")))
    order = ([stage[0]] if stage else []) + [feed_id for feed_id in feeds if not stage or feed_id != stage[0]]
    audio = [(feed_id, s["mid"]) for feed_id in order for s in streams(feeds[feed_id], "audio", AUDIO_CODECS)]
    return video, audio[:audio_slots]


def assign_slots(video, audio: list[tuple[int, str]], current: dict[str, tuple[int, str]],
                 audio_slot_names: list[str]) -> dict[str, tuple[int, str, bool]]:
    """slot name -> source. Audio sources keep the slot they have (no needless re-forwarding
    when the stage changes); new ones take the free slots in order."""
    chosen: dict[str, tuple[int, str, bool]] = {}
    if video is not None:
        chosen["video"] = video
    wanted = set(audio)
    for name in audio_slot_names:
        if current.get(name) in wanted:
            chosen[name] = (*current[name], False)
            wanted.discard(current[name])
    free = [name for name in audio_slot_names if name not in chosen]
    for name, source in zip(free, [source for source in audio if source in wanted], strict=False):
        chosen[name] = (*source, False)
    return chosen


class Stage:
    def __init__(self, streaming_id, conference_id, room_id: int, relay: Relay, *,
                 room_body: Callable[[], Awaitable[dict]], still_wanted: Callable[[], Awaitable[bool]]):
        self.streaming_id = str(streaming_id)
        self.conference_id = str(conference_id)
        self.room_id = room_id
        self.relay = relay
        self._room_body = room_body
        self._still_wanted = still_wanted
        self.session: JanusSession | None = None
        self.janus_host = "127.0.0.1"  # the room server's address (keyframe requests to its forwarders)
        self.handle: JanusHandle | None = None
        self.feeds: dict[int, dict] = {}  # feed id -> {participantId, media, streams}
        self.forwarders: dict[str, tuple[int, str, int]] = {}  # slot -> (feed id, mid, stream id)
        self.on_air: dict[str, tuple[int, str, bool]] = {}
        self._events: asyncio.Queue = asyncio.Queue()
        self.closed = False

    @property
    def opaque_id(self) -> str:
        return f"{OPAQUE_PREFIX}{self.conference_id}:{self.streaming_id}"

    def on_air_participants(self) -> dict[str, str]:
        """slot -> "<participantId>:<media>" (for logs and tests)."""
        return {slot: f"{self.feeds[f]['participantId']}:{self.feeds[f]['media']}"
                for slot, (f, _, _) in self.on_air.items() if f in self.feeds}

    # --- lifecycle -----------------------------------------------------------------------------

    async def run(self) -> None:
        """Keeps the forwarders right until closed; starts over whenever Janus loses us."""
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
                logger.info("streaming %s: Janus lost us (%s); starting over", self.streaming_id, exc or "lost")
            except Exception:  # a bug or the database away: the placeholder stays on air, retry
                if self.closed:
                    return
                logger.exception("streaming %s: the stage failed; starting over", self.streaming_id)
            try:
                await self._drop_session()
                if not await self._still_wanted():
                    return
            except Exception:
                logger.exception("streaming %s: recovering the stage failed", self.streaming_id)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_SECONDS)

    async def _open(self) -> None:
        self._events = asyncio.Queue()
        connection = await janus_pool.connection_for(self.conference_id)
        self.janus_host = await janus_pool.address_of(connection)
        self.session = await connection.create_session(on_lost=lambda: self._events.put_nowait(None))
        self.handle = await self.session.attach(self._events.put_nowait, opaque_id=self.opaque_id)
        try:
            await self.handle.message(await self._room_body())
        except JanusError as exc:
            if exc.code != rooms.ROOM_EXISTS:
                raise
        await self.handle.message({
            "request": "allowed", "room": self.room_id, "secret": rooms.room_secret(self.conference_id),
            "action": "add", "allowed": [acl_token(self.streaming_id)],
        })
        data, _ = await self.handle.message({
            "request": "join", "ptype": "publisher", "room": self.room_id, "id": secrets.randbelow(2**53 - 1) + 1,
            "display": display(self.streaming_id), "token": acl_token(self.streaming_id),
        })
        self.feeds = {}
        self.forwarders = {}
        self._add_feeds(data.get("publishers", []))

    async def _drop_session(self) -> None:
        session, self.session, self.handle = self.session, None, None
        self.forwarders, self.feeds, self.on_air = {}, {}, {}
        for slot in self.relay.slots.values():
            slot.assign(None)
        if session is not None:
            await session.destroy()

    async def close(self) -> None:
        """Stops the forwarders, leaves the room, releases the Janus session."""
        if self.closed:
            return
        self.closed = True
        self._events.put_nowait(None)
        if self.handle is not None and self.session is not None and self.session.alive:
            for slot in list(self.forwarders):
                await self._stop_forwarder(slot)
            try:
                await self.handle.message({
                    "request": "allowed", "room": self.room_id, "secret": rooms.room_secret(self.conference_id),
                    "action": "remove", "allowed": [acl_token(self.streaming_id)],
                })
            except JanusError:
                pass  # the room may be gone already
        await self._drop_session()

    # --- room events ---------------------------------------------------------------------------

    def _handle(self, message: dict) -> bool:
        """Updates the feeds from one Janus event; True if they changed."""
        if message.get("janus") != "event":
            return False
        data = message.get("plugindata", {}).get("data", {})
        if data.get("videoroom") == "destroyed":
            raise _Lost("the room was destroyed")
        if data.get("leaving") == "ok":  # we were kicked out
            raise _Lost("left the room")
        changed = self._add_feeds(data.get("publishers", []))
        for key in ("unpublished", "leaving", "kicked"):
            feed_id = data.get(key)
            if isinstance(feed_id, int) and self.feeds.pop(feed_id, None) is not None:
                changed = True
                # Janus drops a leaving publisher's forwarders itself.
                for slot, (forwarded, _, _) in list(self.forwarders.items()):
                    if forwarded == feed_id:
                        del self.forwarders[slot]
        return changed

    def _add_feeds(self, publishers: list) -> bool:
        changed = False
        for feed in publishers:
            parsed = rooms.parse_display(feed.get("display"))
            if not parsed:
                continue
            entry = {"participantId": parsed[0], "media": parsed[1],
                     "streams": [{"mid": s.get("mid"), "type": s.get("type"), "codec": s.get("codec"),
                                  "disabled": bool(s.get("disabled")), "simulcast": bool(s.get("simulcast"))}
                                 for s in feed.get("streams", [])]}
            if self.feeds.get(feed["id"]) != entry:
                self.feeds.pop(feed["id"], None)  # re-insert: a republished feed counts as new
                self.feeds[feed["id"]] = entry
                changed = True
        return changed

    # --- forwarders ----------------------------------------------------------------------------

    @property
    def _live_handle(self) -> JanusHandle:
        if self.handle is None:  # closed meanwhile: fails like a Janus error
            raise JanusError(f"streaming {self.streaming_id}: the Janus handle is closed")
        return self.handle

    async def _apply(self) -> None:
        video, audio = choose_stage(self.feeds, len(self.relay.audio))
        current = {name: (feed_id, mid) for name, (feed_id, mid, _) in self.forwarders.items()}
        wanted = assign_slots(video, audio, current, [slot.name for slot in self.relay.audio])
        for name, slot in self.relay.slots.items():
            target = wanted.get(name)
            forwarding = self.forwarders.get(name)
            if forwarding is not None and target is not None and forwarding[:2] == target[:2]:
                continue
            if forwarding is not None:
                await self._stop_forwarder(name)
            if target is None:
                slot.assign(None)
            else:
                await self._start_forwarder(slot, *target)
        self.on_air = wanted
        logger.info("streaming %s on air: %s", self.streaming_id, self.on_air_participants())

    async def _start_forwarder(self, slot: Slot, feed_id: int, mid: str, simulcast: bool) -> None:
        ssrc = secrets.randbits(31) + 1
        slot.assign(ssrc)
        stream = {"mid": mid, "port": slot.port, "ssrc": ssrc, "pt": slot.pt}
        if slot.kind == "video":
            stream["rtcp_port"] = slot.rtcp_port  # lets the relay ask for keyframes
            if simulcast:
                stream["simulcast"] = True  # one layer (Janus picks the best), not three
        try:
            data, _ = await self._live_handle.message({
                "request": "rtp_forward", "room": self.room_id, "publisher_id": feed_id,
                "host": self.relay.host, "host_family": "ipv4", "streams": [stream],
                "secret": rooms.room_secret(self.conference_id), "admin_key": settings.JANUS_ROOM_ADMIN_KEY,
            })
        except JanusError as exc:
            if exc.code is None:
                raise  # Janus itself failed, not the request
            # Typically the feed left between its announcement and our request: its `leaving`
            # event follows and the stage is recomputed.
            logger.info("streaming %s: rtp_forward of feed %s refused: %s", self.streaming_id, feed_id, exc)
            slot.assign(None)
            return
        forwarders = data.get("forwarders") or []
        if not forwarders:
            slot.assign(None)
            return
        forwarder = forwarders[0]
        self.forwarders[slot.name] = (feed_id, mid, forwarder["stream_id"])
        slot.assign(ssrc, forwarder.get("local_rtcp_port"), self.janus_host)
        slot.request_keyframe(time.monotonic())

    async def _stop_forwarder(self, slot_name: str) -> None:
        feed_id, _, stream_id = self.forwarders.pop(slot_name)
        try:
            await self._live_handle.message({
                "request": "stop_rtp_forward", "room": self.room_id, "publisher_id": feed_id, "stream_id": stream_id,
                "secret": rooms.room_secret(self.conference_id), "admin_key": settings.JANUS_ROOM_ADMIN_KEY,
            })
        except JanusError as exc:
            if exc.code is None:
                raise
            logger.debug("streaming %s: stop_rtp_forward: %s", self.streaming_id, exc)
