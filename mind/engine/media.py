"""The Janus side of one participant session: a Janus session, publisher and subscriber handles.

Each participant session owns one Janus session (kept alive by the process's JanusConnection):

* the primary handle joins the room as a publisher as soon as the session starts, publishing
  nothing yet: it is how the participant is in the room and hears about other feeds. Publishing
  primary media (camera/mic) sends `publish` + the client's offer on it;
* the secondary handle is attached and joined only while the participant shares its screen;
* the subscriber handle carries every other feed's streams on one PeerConnection (multistream).
  Its streams follow the room: when feeds appear or go, `update` is sent and Janus's new offer is
  passed to the client. Only one renegotiation is in flight at a time; changes meanwhile are
  applied when the client's answer arrives.

Janus events arrive on the process's connection and are queued here, then handled one at a time
by a worker task, so the state below is only changed in order. Messages for the client go through
`send`; until the socket is attached (or while a dropped socket's grace period runs) they are
buffered and flushed on attach.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from typing import Any, Awaitable, Callable

from mind.engine import janus_pool, rooms
from mind.engine.janus_ws import JanusError, JanusHandle, JanusSession
from mind.engine.rooms import PRIMARY, SECONDARY

logger = logging.getLogger(__name__)

SUBSCRIPTION = "subscription"
MAX_BUFFERED = 200
MEDIA_KINDS = ("audio", "video")


def new_feed_id() -> int:
    return secrets.randbelow(2**53 - 1) + 1


def flags_from_sdp(sdp: str) -> dict:
    """Which kinds an offer sends: m-lines with a port and a sending direction."""
    flags = {"audio": False, "video": False}
    kind = None
    for line in sdp.splitlines():
        if line.startswith("m="):
            parts = line[2:].split()
            kind = parts[0] if parts and parts[0] in MEDIA_KINDS and len(parts) > 1 and parts[1] != "0" else None
            if kind:
                flags[kind] = True  # sendrecv unless the m-line says otherwise
        elif kind and line.strip() in ("a=recvonly", "a=inactive"):
            flags[kind] = False
            kind = None
    return flags


def flags_from_streams(streams: list | None, sdp: str) -> dict:
    if not streams:
        return flags_from_sdp(sdp)
    sent = flags_from_sdp(sdp)
    accepted = {kind: any(s.get("type") == kind and not s.get("disabled") for s in streams) for kind in MEDIA_KINDS}
    return {kind: sent[kind] and accepted[kind] for kind in MEDIA_KINDS}


class MediaUnavailable(Exception):
    """Janus is not reachable right now (the session is recovering)."""


class ParticipantMedia:
    def __init__(self, conference_id, room_id: int, participant_id, *,
                 room_body: Callable[[], Awaitable[dict]],
                 on_flags: Callable[[dict | None, dict | None], Awaitable[None]],
                 on_gone: Callable[[str], Awaitable[None]]):
        self.conference_id = str(conference_id)
        self.room_id = room_id
        self.participant_id = str(participant_id)
        self.key = secrets.token_urlsafe(16)  # the session id the client may resume with
        self._room_body = room_body  # fresh `create` body (recording state may have changed)
        self._on_flags = on_flags  # (primary, secondary) flags -> database
        self.on_gone = on_gone  # "kicked" | "destroyed" | "lost": the owner decides what it means
        self.owner: Any = None  # the socket's session (mind.realtime) that holds this media, if any
        self._send: Callable[[dict], Awaitable[None]] | None = None
        self._buffer: list[dict] = []
        self._events: asyncio.Queue = asyncio.Queue()
        self._worker: asyncio.Task | None = None
        self._sync_lock = asyncio.Lock()
        self.closed = False
        self._reset_state()

    def _reset_state(self) -> None:
        self.session: JanusSession | None = None
        self.handles: dict[str, JanusHandle] = {}
        self.feed_ids = {PRIMARY: new_feed_id(), SECONDARY: new_feed_id()}
        self.private_id: int | None = None
        self.publishing = {PRIMARY: False, SECONDARY: False}
        self.feeds: dict[int, dict] = {}  # remote feed id -> {participantId, media, streams}
        self.sub_streams: list[dict] = []
        # Offers sent to the client and not yet answered. They can overlap: Janus renegotiates on its
        # own when a feed leaves while our update's offer is still with the client.
        self.unanswered = 0
        self.dirty = False
        self.ready = False
        self.held = False  # no subscription offers while a client restart is in progress

    @property
    def opaque_id(self) -> str:
        return f"{rooms.OPAQUE_PREFIX}{self.conference_id}:{self.participant_id}"

    # --- the client side ------------------------------------------------------------------------

    async def send(self, message: dict) -> None:
        if self._send is None:
            if len(self._buffer) < MAX_BUFFERED:
                self._buffer.append(message)
            return
        await self._send(message)

    async def attach_client(self, send: Callable[[dict], Awaitable[None]]) -> None:
        self._send = send
        buffered, self._buffer = self._buffer, []
        for message in buffered:
            await send(message)

    def detach_client(self) -> None:
        self._send = None

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Joins the room; if Janus is unreachable, keeps trying in the background."""
        self._worker = asyncio.create_task(self._work())
        try:
            await self._open()
        except JanusError as exc:
            logger.warning("participant %s: Janus unavailable (%s); retrying", self.participant_id, exc)
            self._events.put_nowait(("retry", None))

    async def _open(self) -> None:
        # The room's server, asked anew on every (re)open: a dead server's rooms move (janus_pool).
        connection = await janus_pool.connection_for(self.conference_id)
        self.session = await connection.create_session(on_lost=self._session_lost)
        try:
            primary = await self.session.attach(self._on_event(PRIMARY), opaque_id=self.opaque_id)
            self.handles[PRIMARY] = primary
            await self._ensure_room(primary)
            await self._kick_stale_feeds(primary)
            data, _ = await primary.message({
                "request": "join", "ptype": "publisher", "room": self.room_id, "id": self.feed_ids[PRIMARY],
                "display": rooms.feed_display(self.participant_id, PRIMARY),
                "token": rooms.participant_acl_token(self.participant_id),
            })
        except BaseException:
            await self.session.destroy()
            self.session = None
            self.handles = {}
            raise
        self.private_id = data.get("private_id")
        self._add_feeds(data.get("publishers", []))
        self.ready = True
        await self.sync_subscription()

    async def _ensure_room(self, handle: JanusHandle) -> None:
        try:
            await handle.message(await self._room_body())
        except JanusError as exc:
            if exc.code != rooms.ROOM_EXISTS:
                raise
        await handle.message({
            "request": "allowed", "room": self.room_id, "secret": rooms.room_secret(self.conference_id),
            "action": "add", "allowed": [rooms.participant_acl_token(self.participant_id)],
        })

    async def _kick_stale_feeds(self, handle: JanusHandle) -> None:
        """A fresh session replaces older ones of the same participant (another process, a dropped
        socket still in its grace period): their feeds leave the room, so nobody sees doubles."""
        listing, _ = await handle.message({"request": "listparticipants", "room": self.room_id})
        for feed in listing.get("participants", []):
            parsed = rooms.parse_display(feed.get("display"))
            if parsed and parsed[0] == self.participant_id:
                await handle.message({"request": "kick", "room": self.room_id, "id": feed["id"],
                                      "secret": rooms.room_secret(self.conference_id)})

    async def close(self) -> None:
        """Leaves the room and releases the Janus session and its handles."""
        if self.closed:
            return
        self.closed = True
        self.ready = False
        if self._worker is not None and self._worker is not asyncio.current_task():
            self._worker.cancel()
        # The participant stays on the room's allow-list: their session may go on in another web
        # process, whose join a removal here would race. Removing a participant revokes it
        # (mind/engine/receivers.py).
        session = self.session
        self._reset_state()
        if session is not None and session.alive:
            await session.destroy()

    def _session_lost(self) -> None:
        self._events.put_nowait(("lost", None))

    async def _recover(self) -> None:
        """Janus lost our session (restart, crash, timeout): start over once the room's server (this
        one, or another of the pool if this one is dead) answers."""
        had_session = self.session is not None or self.ready
        self._reset_state()
        if had_session:
            await self.send({"type": "mediaReset", "reason": "media-server-lost"})
            await self._on_flags({"audio": False, "video": False}, {"audio": False, "video": False})
        delay = 0.25
        while not self.closed:
            try:
                await self._open()
                break
            except JanusError as exc:
                logger.info("participant %s: Janus not back yet (%s)", self.participant_id, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        if not self.closed:
            await self.send({"type": "republish"})

    # --- Janus events ----------------------------------------------------------------------------

    def _on_event(self, kind: str):
        return lambda message: self._events.put_nowait((kind, message))

    async def _work(self) -> None:
        while not self.closed:
            kind, message = await self._events.get()
            try:
                if kind in ("lost", "retry"):
                    if await self._still_wanted("lost"):
                        await self._recover()
                else:
                    await self._handle(kind, message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("participant %s: handling a Janus event failed", self.participant_id)

    async def _still_wanted(self, reason: str) -> bool:
        await self.on_gone(reason)
        return not self.closed

    async def _handle(self, kind: str, message: dict) -> None:
        janus = message.get("janus")
        if kind == SUBSCRIPTION and not self._from_current_subscription(message):
            return  # a late event of a subscription handle we already dropped
        if janus == "hangup":
            await self._hangup(kind)
            return
        if janus != "event":
            return
        data = message.get("plugindata", {}).get("data", {})
        jsep = message.get("jsep")
        if kind == SUBSCRIPTION:
            if jsep and jsep.get("type") == "offer":
                self._set_sub_streams(data)
                await self._offer_to_client(jsep)
            elif "substream" in data or "temporal" in data:
                await self.send({"type": "layer", "substream": data.get("substream"),
                                 "temporal": data.get("temporal"), "mid": data.get("mid")})
            return
        if data.get("videoroom") == "destroyed":
            if await self._still_wanted("destroyed"):
                await self._recover()
            return
        if data.get("leaving") == "ok" and data.get("reason") == "kicked":
            await self.on_gone("kicked")
            return
        if kind != PRIMARY:
            return
        changed = self._add_feeds(data.get("publishers", []))
        for key in ("unpublished", "leaving", "kicked"):
            feed_id = data.get(key)
            if isinstance(feed_id, int) and self.feeds.pop(feed_id, None) is not None:
                changed = True
        if changed:
            await self.sync_subscription()

    def _from_current_subscription(self, message: dict) -> bool:
        handle = self.handles.get(SUBSCRIPTION)
        sender = message.get("sender")
        return handle is not None and (sender is None or sender == handle.id)

    async def _hangup(self, kind: str) -> None:
        if kind in (PRIMARY, SECONDARY) and self.publishing[kind]:
            self.publishing[kind] = False
            off = {"audio": False, "video": False}
            await self._on_flags(off if kind == PRIMARY else None, off if kind == SECONDARY else None)
            await self.send({"type": "unpublished", "media": kind, "reason": "hangup"})
        elif kind == SUBSCRIPTION and SUBSCRIPTION in self.handles:
            # The subscription PeerConnection is gone; a fresh one is offered on the next change.
            await self._drop_subscription()

    def _add_feeds(self, publishers: list) -> bool:
        changed = False
        for feed in publishers:
            parsed = rooms.parse_display(feed.get("display"))
            if not parsed or parsed[0] == self.participant_id:
                continue
            streams = [{"mid": s.get("mid"), "type": s.get("type"), "disabled": bool(s.get("disabled"))}
                       for s in feed.get("streams", [])]
            entry = {"participantId": parsed[0], "media": parsed[1], "streams": streams}
            if self.feeds.get(feed["id"]) != entry:
                self.feeds[feed["id"]] = entry
                changed = True
        return changed

    # --- publishing ------------------------------------------------------------------------------

    def _require_ready(self) -> JanusSession:
        if not self.ready or self.session is None:
            raise MediaUnavailable("the media server is not available right now")
        return self.session

    async def publish(self, media: str, sdp: str) -> tuple[str, dict]:
        """Publishes an offer as primary or secondary media; returns Janus's answer and the flags."""
        session = self._require_ready()
        handle = self.handles.get(media)
        if handle is None:  # secondary: a second feed in the room, only while sharing
            handle = await session.attach(self._on_event(SECONDARY), opaque_id=self.opaque_id)
            try:
                await handle.message({
                    "request": "join", "ptype": "publisher", "room": self.room_id, "id": self.feed_ids[SECONDARY],
                    "display": rooms.feed_display(self.participant_id, SECONDARY),
                    "token": rooms.participant_acl_token(self.participant_id),
                })
            except JanusError:
                await handle.detach()  # no half-joined handle left behind
                raise
            self.handles[SECONDARY] = handle
        body = {"request": "configure" if self.publishing[media] else "publish"}
        if not self.publishing[media]:
            body["filename"] = rooms.recording_basename(self.participant_id, media, int(time.time() * 1000))
        data, jsep = await handle.message(body, jsep={"type": "offer", "sdp": sdp})
        if not jsep or jsep.get("type") != "answer":
            raise JanusError("the media server did not answer the offer")
        self.publishing[media] = True
        return jsep["sdp"], flags_from_streams(data.get("streams"), sdp)

    async def unpublish(self, media: str) -> None:
        self._require_ready()
        handle = self.handles.get(media)
        if handle is None or not self.publishing[media]:
            return
        self.publishing[media] = False
        if media == PRIMARY:
            try:
                await handle.message({"request": "unpublish"})
            except JanusError as exc:
                # Janus already dropped it: the client closed its PeerConnection (as the SDK does when
                # its role no longer lets it publish) and the hangup event is still on its way.
                if exc.code != rooms.NOT_PUBLISHED:
                    raise
        else:
            self.handles.pop(SECONDARY, None)
            try:
                await handle.message({"request": "leave"})
            finally:
                await handle.detach()

    async def trickle(self, target: str, candidate: dict | None) -> None:
        self._require_ready()
        handle = self.handles.get(target)
        if handle is None:
            raise KeyError(target)
        await handle.trickle(candidate)

    # --- the subscription ------------------------------------------------------------------------

    def _desired(self) -> set[tuple[int, str]]:
        return {(feed_id, stream["mid"]) for feed_id, feed in self.feeds.items() for stream in feed["streams"]
                if stream["type"] in MEDIA_KINDS and not stream["disabled"]}

    def _current(self) -> set[tuple[int, str]]:
        return {(s["feed_id"], s["feed_mid"]) for s in self.sub_streams
                if s.get("active", True) and "feed_id" in s and "feed_mid" in s}

    def _set_sub_streams(self, data: dict) -> None:
        if "streams" in data:
            self.sub_streams = data["streams"]

    async def drop_client_media(self) -> None:
        """The client lost its PeerConnections (a reloaded page resumed this session): stop what it
        published and drop the subscription. No offer goes out until `resume_subscription`."""
        self._require_ready()
        self.held = True
        try:
            for media in (PRIMARY, SECONDARY):
                if self.publishing[media]:
                    await self.unpublish(media)
            async with self._sync_lock:
                await self._drop_subscription()
        except BaseException:
            self.held = False
            raise

    async def resume_subscription(self) -> None:
        """After `drop_client_media`: a fresh subscription offer (if there is anything to receive)."""
        self.held = False
        await self.sync_subscription()

    async def sync_subscription(self) -> None:
        """Brings the subscription in line with the room's feeds (one renegotiation at a time)."""
        async with self._sync_lock:
            if self.closed or not self.ready or self.held or self.session is None:
                return
            if self.unanswered:
                self.dirty = True
                return
            desired = self._desired()
            handle = self.handles.get(SUBSCRIPTION)
            joining = handle is None
            try:
                if handle is None:
                    if not desired:
                        return
                    handle = await self.session.attach(self._on_event(SUBSCRIPTION), opaque_id=self.opaque_id)
                    self.handles[SUBSCRIPTION] = handle
                    data, jsep = await handle.message({
                        "request": "join", "ptype": "subscriber", "room": self.room_id,
                        "private_id": self.private_id, "token": rooms.participant_acl_token(self.participant_id),
                        "streams": [{"feed": feed, "mid": mid} for feed, mid in sorted(desired)],
                    })
                else:
                    current = self._current()
                    add, remove = desired - current, current - desired
                    if not add and not remove:
                        return
                    body: dict[str, object] = {"request": "update"}
                    if add:
                        body["subscribe"] = [{"feed": feed, "mid": mid} for feed, mid in sorted(add)]
                    if remove:
                        body["unsubscribe"] = [{"feed": feed, "mid": mid} for feed, mid in sorted(remove)]
                    data, jsep = await handle.message(body)
            except JanusError as exc:
                # Typically a feed left between its announcement and our request: its `leaving`
                # event triggers another sync. A failed first join leaves no half-made handle.
                logger.info("participant %s: subscription update failed: %s", self.participant_id, exc)
                if handle is not None and not self._current() and self.handles.get(SUBSCRIPTION) is handle:
                    await self._drop_subscription()
                return
            self._set_sub_streams(data)
            if jsep and jsep.get("type") == "offer":
                await self._offer_to_client(jsep, fresh=joining)

    async def _drop_subscription(self) -> None:
        """Forgets the subscription handle; the next change joins a new one, whose first offer
        tells the client to start a new PeerConnection."""
        handle = self.handles.pop(SUBSCRIPTION, None)
        self.sub_streams, self.unanswered, self.dirty = [], 0, False
        if handle is not None:
            await handle.detach()

    async def _offer_to_client(self, jsep: dict, fresh: bool = False) -> None:
        self.unanswered += 1
        streams = []
        for stream in self.sub_streams:
            feed = self.feeds.get(stream["feed_id"]) if "feed_id" in stream else None
            if stream.get("active", True) and feed and stream.get("type") in MEDIA_KINDS:
                streams.append({"mid": stream["mid"], "kind": stream["type"], "participantId": feed["participantId"],
                                "media": feed["media"]})
        message = {"type": "offer", "sdp": jsep["sdp"], "streams": streams}
        if fresh:
            message["fresh"] = True
        await self.send(message)

    async def answer(self, sdp: str) -> None:
        """The client's answer to the last subscription offer."""
        self._require_ready()
        handle = self.handles.get(SUBSCRIPTION)
        if handle is None or not self.unanswered:
            raise ValueError("there is no subscription offer to answer")
        self.unanswered -= 1
        if self.unanswered:
            return  # it answers an offer Janus has since replaced: the client answers the newer one next
        await handle.message({"request": "start"}, jsep={"type": "answer", "sdp": sdp})
        if self.dirty:
            self.dirty = False
            await self.sync_subscription()

    async def configure_layer(self, mid: str, substream: int | None, temporal: int | None) -> None:
        """Chooses the simulcast layer a subscription stream receives."""
        self._require_ready()
        handle = self.handles.get(SUBSCRIPTION)
        if handle is None or not any(s.get("mid") == mid for s in self.sub_streams):
            raise KeyError(mid)
        body: dict[str, object] = {"request": "configure", "mid": mid}
        if substream is not None:
            body["substream"] = substream
        if temporal is not None:
            body["temporal"] = temporal
        await handle.message(body)
