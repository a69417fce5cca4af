"""The participant session: one WebSocket per participant, JSON signalling (docs/mind-protocol.md).

    ws(s)://<host>/mind/<applicationId>/<conferenceId>/session?access_token=<participant token>

The socket carries the participant's presence (online while connected, plus a grace period),
its publish/subscribe signalling for Janus (through mind.engine.media.ParticipantMedia), and the
conference's `{type, location, resource}` notifications. Bad input gets an `error` message; only
the server closes with the Mind close codes: 4000 the conference ended, 4001 the participant was
expelled (deleted), 4002 the participant opened a newer session elsewhere.
"""

from __future__ import annotations

import inspect
import json
import logging
from urllib.parse import parse_qs

from autobahn.exception import Disconnected
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

from config.errors import ConferError
from mind import services
from mind.engine import registry, rooms
from mind.engine.janus_ws import JanusError
from mind.engine.media import MediaUnavailable, ParticipantMedia
from mind.engine.rooms import PRIMARY, SECONDARY
from mind.models import Conference, Participant, Role
from mind.realtime import close_codes, notifications
from mind.representations import conference_json, participant_json

logger = logging.getLogger(__name__)

MAX_MESSAGE = 256 * 1024  # an SDP with many m-lines is a few tens of kB
OFF = {"audio": False, "video": False}


def presence_key(participant_id) -> str:
    return f"mind:session:{participant_id}"


class BadRequest(ConferError):
    """A client message the session refuses; `code` goes back in the error reply ("bad-request", "forbidden")."""

    def __init__(self, code: str, message: str):
        super().__init__(message, code=code)


# --- database access (sync, run in threads) -----------------------------------------------------

def _authenticate(application_id, conference_id, token) -> Participant | None:
    try:
        participant = services.authenticate_participant(conference_id, token)
    except services.MindApiError:
        return None
    return participant if str(participant.conference.application_id) == str(application_id) else None


def _participant_alive(participant_id) -> bool:
    return Participant.objects.filter(pk=participant_id).exists()


def _conference_alive(conference_id) -> bool:
    conference = Conference.objects.filter(pk=conference_id).first()
    return conference is not None and not conference.has_ended


def _set_flags(participant_id, primary, secondary) -> None:
    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is not None:
        services.set_media(participant, primary, secondary)


def _go_offline(participant_id, session_key) -> None:
    """Offline, with no media, unless a newer session of the participant took over meanwhile."""
    if cache.get(presence_key(participant_id)) not in (None, session_key):
        return
    cache.delete(presence_key(participant_id))
    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is not None:
        services.set_media(participant, OFF, OFF)
        services.set_online(participant, False)


def _come_online(participant: Participant, session_key) -> None:
    cache.set(presence_key(participant.pk), session_key, timeout=None)
    services.set_online(participant, True)


authenticate = database_sync_to_async(_authenticate)
participant_alive = database_sync_to_async(_participant_alive)
conference_alive = database_sync_to_async(_conference_alive)
room_body = database_sync_to_async(rooms.room_body)
set_flags = database_sync_to_async(_set_flags)
go_offline = database_sync_to_async(_go_offline)
come_online = database_sync_to_async(_come_online)


def _quality_sample(participant_id, conference_id, sample) -> None:
    """Hands a client's quality sample to a sync MIND_QUALITY_SAMPLE_HANDLER; its refusal (a
    ConferError with a string code) goes back to the client as the error."""
    if not settings.MIND_QUALITY_SAMPLE_HANDLER:
        raise BadRequest("bad-request", "this server does not collect quality samples")
    try:
        import_string(settings.MIND_QUALITY_SAMPLE_HANDLER)(participant_id, conference_id, sample)
    except ConferError as exc:
        raise BadRequest(str(exc.code), exc.message) from None


# Not thread-sensitive: samples of many sessions are written in parallel, not one after another on
# the single thread Channels otherwise shares between all consumers.
_sync_quality_sample = database_sync_to_async(_quality_sample, thread_sensitive=False)


async def quality_sample(participant_id, conference_id, sample) -> None:
    """MIND_QUALITY_SAMPLE_HANDLER (the product's, docs/qos.md) with a client's quality sample: a
    coroutine function is awaited on the socket's loop (the product's batches samples), a plain
    function runs in a worker thread."""
    handler = import_string(settings.MIND_QUALITY_SAMPLE_HANDLER) if settings.MIND_QUALITY_SAMPLE_HANDLER else None
    if not inspect.iscoroutinefunction(handler):
        await _sync_quality_sample(participant_id, conference_id, sample)
        return
    try:
        await handler(participant_id, conference_id, sample)
    except ConferError as exc:
        raise BadRequest(str(exc.code), exc.message) from None


async def release_media(media: ParticipantMedia, offline: bool = True) -> None:
    registry.unregister(media)
    await media.close()
    if offline:
        await go_offline(media.participant_id, media.key)


class ParticipantSession(AsyncWebsocketConsumer):
    participant: Participant | None = None
    media: ParticipantMedia | None = None
    ending: int | None = None  # the close code, when the server ends the session

    async def dispatch(self, message):
        # Channels runs close_old_connections on its one shared sync thread before every message: a
        # hop per socket message, serialised across all sessions. Every database call here goes
        # through database_sync_to_async, which closes stale connections in its own thread already.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    @property
    def me(self) -> Participant:
        """The session's participant: connect sets it before any other handler runs."""
        if self.participant is None:
            raise RuntimeError("the session has no participant: it was refused at connect")
        return self.participant

    @property
    def live_media(self) -> ParticipantMedia:
        """The session's media; a session that is being replaced or ended has none left."""
        if self.media is None:
            raise MediaUnavailable("this session has no media any more (it is ending)")
        return self.media

    # --- connection ----------------------------------------------------------------------------

    async def connect(self):
        route = self.scope["url_route"]["kwargs"]
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        token = (query.get("access_token") or [""])[0] or self._bearer_token()
        participant = await authenticate(route["application_id"], route["conference_id"], token)
        if participant is None:
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        self.participant = participant
        self.role = participant.role
        await self.accept()
        await self.channel_layer.group_add(notifications.conference_group(participant.conference_id), self.channel_name)
        await self.channel_layer.group_add(notifications.participant_group(participant.pk), self.channel_name)

        resume_key = (query.get("session") or [""])[0]
        media = registry.claim(participant.pk, resume_key)
        resumed = media is not None
        if media is not None:
            old_owner = getattr(media, "owner", None)
            if old_owner is not None and old_owner is not self:  # its socket has not closed yet
                old_owner.media = None
                await old_owner.end_session(close_codes.SESSION_REPLACED)
        else:
            await self._replace_other_sessions()
            media = ParticipantMedia(
                participant.conference_id, participant.conference.janus_room_id, participant.pk,
                room_body=lambda: room_body(participant.conference_id),
                on_flags=lambda primary, secondary: set_flags(participant.pk, primary, secondary),
                on_gone=self._media_gone,
            )
            # Presence is this session's before its media starts: starting kicks the participant's
            # stale feeds, and the old session (another process, in its grace period) then goes
            # offline unless it sees a newer session holds the presence.
            await come_online(participant, media.key)
            previous = registry.register(media)
            if previous is not None:
                await previous.close()
            await media.start()
        media.owner = self
        media.on_gone = self._media_gone
        self.media = media
        await come_online(participant, media.key)
        participant.online = True
        await self._send({
            "type": "welcome", "sessionId": media.key, "resumed": resumed, "mediaReady": media.ready,
            "participant": participant_json(participant), "conference": conference_json(participant.conference),
        })
        await media.attach_client(self._send)

    def _bearer_token(self) -> str:
        for name, value in self.scope.get("headers", []):
            if name == b"authorization" and value.lower().startswith(b"bearer "):
                return value[7:].decode("latin-1").strip()
        return ""

    async def _replace_other_sessions(self):
        """One session per participant: a newer one closes older ones (any process) with 4002."""
        await self.channel_layer.group_send(
            notifications.participant_group(self.me.pk),
            {"type": "mind.session.replace", "channel": self.channel_name},
        )

    async def disconnect(self, code):
        if self.participant is None:
            return
        await self.channel_layer.group_discard(notifications.conference_group(self.participant.conference_id),
                                               self.channel_name)
        await self.channel_layer.group_discard(notifications.participant_group(self.participant.pk), self.channel_name)
        media, self.media = self.media, None
        if media is None:
            return
        self._last_key = media.key
        media.owner = None
        if self.ending is not None or media.closed:  # ended by the server: nothing to come back to
            await release_media(media)  # offline unless a newer session took over (presence key)
        else:
            registry.hold(media, settings.MIND_SESSION_GRACE_SECONDS, release_media)

    async def end_session(self, code: int):
        if self.ending is not None:
            return
        self.ending = code
        media = self.media
        if media is not None:
            registry.unregister(media)
            await media.close()
        await self.close(code=code)

    async def _media_gone(self, reason: str):
        """Janus kicked us, destroyed the room or lost the session: find out why, end if we must."""
        media = self.media
        # The conference first: deleting it deletes its participants too, and that is "ended" (4000).
        if not await conference_alive(self.me.conference_id):
            code = close_codes.CONFERENCE_ENDED
        elif not await participant_alive(self.me.pk):
            code = close_codes.EXPELLED
        elif reason == "kicked":
            code = close_codes.SESSION_REPLACED  # a newer session of this participant took the room
        else:
            return  # Janus restarted or lost the session: the media recovers by itself
        if media is not None:
            await self.end_session(code)
        else:  # no socket (grace period): release the media it left behind
            held = registry.claim(self.me.pk, getattr(self, "_last_key", None))
            if held is not None:
                await release_media(held)

    # --- channel-layer events -------------------------------------------------------------------

    async def mind_notification(self, event):
        note = event["notification"]
        await self._send(note)
        if note.get("location") == f"/participants/{self.me.pk}" and note.get("type") == "updated":
            role = (note.get("resource") or {}).get("role")
            if role and role != self.role:
                self.role = role
                await self._enforce_role()

    async def mind_session_end(self, event):
        await self.end_session(event.get("code", close_codes.CONFERENCE_ENDED))

    async def mind_session_replace(self, event):
        if event.get("channel") != self.channel_name:
            await self.end_session(close_codes.SESSION_REPLACED)

    async def _enforce_role(self):
        for media in (PRIMARY, SECONDARY):
            if self.media and self.media.publishing[media] and not Role(self.role).may_publish(media):
                try:
                    await self.live_media.unpublish(media)
                except JanusError as exc:  # the new role holds anyway: Janus away must not end the session
                    logger.warning("participant %s: could not unpublish %s for their new role: %s",
                                   self.me.pk, media, exc)
                await set_flags(self.me.pk, OFF if media == PRIMARY else None,
                                OFF if media == SECONDARY else None)
                await self._send({"type": "unpublished", "media": media, "reason": "role"})

    # --- client messages ------------------------------------------------------------------------

    async def _send(self, message: dict):
        try:
            await self.send(text_data=json.dumps(message))
        except Disconnected:
            # The client went away while a notification was on its way (Daphne has not told the
            # consumer yet); disconnect() follows and decides about the media.
            logger.debug("participant session: dropped a message for a closed socket")

    async def receive(self, text_data=None, bytes_data=None):
        request_id = None
        try:
            if text_data is None or len(text_data) > MAX_MESSAGE:
                raise BadRequest("bad-request", "messages must be JSON text of at most 256 kB")
            try:
                message = json.loads(text_data)
            except ValueError:
                raise BadRequest("bad-request", "messages must be JSON") from None
            if not isinstance(message, dict):
                raise BadRequest("bad-request", "a message must be a JSON object")
            request_id = message.get("id")
            if request_id is not None and not isinstance(request_id, (str, int)):
                request_id = None
                raise BadRequest("bad-request", "`id` must be a string or a number")
            handler = self.HANDLERS.get(message.get("type", ""))
            if handler is None:
                raise BadRequest("bad-request", f"unknown message type {message.get('type')!r}")
            reply = await handler(self, message)
            if reply is not None:
                await self._send({**reply, **({"id": request_id} if request_id is not None else {})})
        except BadRequest as exc:
            await self._error(request_id, str(exc.code), exc.message)
        except MediaUnavailable as exc:
            await self._error(request_id, "media-unavailable", str(exc))
        except JanusError as exc:
            logger.info("participant %s: Janus refused a request: %s", self.me.pk, exc)
            await self._error(request_id, "media-error", str(exc))
        except Exception:
            logger.exception("participant %s: request failed", self.me.pk)
            await self._error(request_id, "internal-error", "the request failed")

    async def _error(self, request_id, code: str, message: str):
        body = {"type": "error", "code": code, "message": message}
        if request_id is not None:
            body["id"] = request_id
        await self._send(body)

    @staticmethod
    def _media_field(message) -> str:
        media = message.get("media", PRIMARY)
        if media not in (PRIMARY, SECONDARY):
            raise BadRequest("bad-request", "`media` must be primary or secondary")
        return media

    @staticmethod
    def _sdp_field(message) -> str:
        sdp = message.get("sdp")
        if not isinstance(sdp, str) or not sdp.startswith("v=0"):
            raise BadRequest("bad-request", "`sdp` must be an SDP string")
        return sdp

    async def on_publish(self, message):
        media, sdp = self._media_field(message), self._sdp_field(message)
        if not Role(self.role).may_publish(media):
            raise BadRequest("forbidden", f"a {self.role} may not publish {media} media")
        answer, flags = await self.live_media.publish(media, sdp)
        await set_flags(self.me.pk, flags if media == PRIMARY else None, flags if media == SECONDARY else None)
        return {"type": "answer", "media": media, "sdp": answer}

    async def on_unpublish(self, message):
        media = self._media_field(message)
        await self.live_media.unpublish(media)
        await set_flags(self.me.pk, OFF if media == PRIMARY else None, OFF if media == SECONDARY else None)
        return {"type": "unpublished", "media": media}

    async def on_answer(self, message):
        try:
            await self.live_media.answer(self._sdp_field(message))
        except ValueError as exc:
            raise BadRequest("bad-request", str(exc)) from None
        return None

    async def on_candidate(self, message):
        target = message.get("target", PRIMARY)
        if target not in (PRIMARY, SECONDARY, "subscription"):
            raise BadRequest("bad-request", "`target` must be primary, secondary or subscription")
        candidate = message.get("candidate")
        if candidate is not None and not isinstance(candidate, dict):
            raise BadRequest("bad-request", "`candidate` must be an object or null")
        try:
            await self.live_media.trickle(target, candidate)
        except KeyError:
            raise BadRequest("bad-request", f"nothing to trickle to on {target}") from None
        return None

    async def on_configure(self, message):
        mid = message.get("mid")
        layers = {key: message.get(key) for key in ("substream", "temporal")}
        if not isinstance(mid, str) or any(v is not None and (isinstance(v, bool) or v not in (0, 1, 2))
                                           for v in layers.values()):
            raise BadRequest("bad-request", "`mid` must be a string; `substream`/`temporal` 0, 1 or 2")
        try:
            await self.live_media.configure_layer(mid, layers["substream"], layers["temporal"])
        except KeyError:
            raise BadRequest("bad-request", f"no subscription stream with mid {mid!r}") from None
        return {"type": "configured", "mid": mid, **{k: v for k, v in layers.items() if v is not None}}

    async def on_restart_media(self, message):
        """The client lost its PeerConnections but kept the session (a reloaded page that resumed):
        drop ours, reply, then offer a fresh subscription; the client publishes again."""
        await self.live_media.drop_client_media()
        try:
            await set_flags(self.me.pk, OFF, OFF)
            reply = {"type": "mediaRestarted"}
            if message.get("id") is not None:
                reply["id"] = message["id"]
            await self._send(reply)  # before the new offer, so the client knows it is the fresh one
        finally:
            await self.live_media.resume_subscription()
        return None

    async def on_qos_sample(self, message):
        """A quality sample (every 5 s from the SDK); no reply unless refused or asked (`id`)."""
        me = self.me
        await quality_sample(me.pk, me.conference_id, message.get("sample"))
        return {"type": "qosAccepted"} if message.get("id") is not None else None

    async def on_ping(self, message):
        return {"type": "pong"}

    async def on_leave(self, message):
        media, self.media = self.media, None
        if media is not None:
            await release_media(media)
        self.ending = 1000
        await self.close(code=close_codes.NORMAL)
        return None

    HANDLERS = {
        "publish": on_publish,
        "unpublish": on_unpublish,
        "answer": on_answer,
        "candidate": on_candidate,
        "configure": on_configure,
        "restartMedia": on_restart_media,
        "ping": on_ping,
        "qosSample": on_qos_sample,
        "leave": on_leave,
    }
