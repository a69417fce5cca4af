"""How a conference maps onto a Janus VideoRoom, and the room administration the engine needs.

A conference's room id is `Conference.janus_room_id`, on the server `janus_pool.place()` gives.
Rooms are created on demand (first join, recording start, recovery after a Janus restart or move)
through the API with the VideoRoom admin key, a room secret and an `allowed` token list; a
participant's ACL token is added to the list when
its session joins and removed when it leaves. Secrets and tokens are derived from SECRET_KEY, so
every web process and worker computes the same values without storing them.

Feeds carry `display = "<participantId>:<primary|secondary>"`, which is how subscribers and the
reconciliation task tell whose media a Janus publisher is.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from django.conf import settings

from mind.engine import janus_pool
from mind.engine.janus import JanusError, VideoRoomAdmin
from mind.models import Conference

ROOM_EXISTS = 427  # JANUS_VIDEOROOM_ERROR_ROOM_EXISTS
NO_SUCH_ROOM = 426  # JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM
NOT_PUBLISHED = 435  # JANUS_VIDEOROOM_ERROR_NOT_PUBLISHED
MAX_PUBLISHERS = 100
ROOM_PREFIX = "mind:"  # room description: "mind:<conferenceId>"
OPAQUE_PREFIX = "mind:"  # handle opaque_id: "mind:<conferenceId>:<participantId>"
PRIMARY, SECONDARY = "primary", "secondary"


def _derive(purpose: str, value) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:40]


def room_secret(conference_id) -> str:
    return _derive("janus-room-secret", conference_id)


def participant_acl_token(participant_id) -> str:
    return _derive("janus-acl-token", participant_id)


def recordings_dir(conference_id) -> Path:
    """Where Janus writes this conference's .mjr files (one file per stream)."""
    return Path(settings.JANUS_RECORDINGS_DIR) / str(conference_id)


def recording_basename(participant_id, media: str, started_ms: int) -> str:
    """Per-publisher file name stem; Janus appends `-<audio|video|data>-<mindex>.mjr`."""
    return f"{participant_id}-{media}-{started_ms}"


def feed_display(participant_id, media: str) -> str:
    return f"{participant_id}:{media}"


def parse_display(display: str | None) -> tuple[str, str] | None:
    participant_id, _, media = (display or "").partition(":")
    return (participant_id, media) if participant_id and media in (PRIMARY, SECONDARY) else None


def conference_id_of_room(description: str | None) -> str | None:
    return description[len(ROOM_PREFIX):] if description and description.startswith(ROOM_PREFIX) else None


def room_body(conference_id) -> dict:
    """The `create` body for the conference's room as it is now (recording may have changed)."""
    conference = Conference.objects.get(pk=conference_id)
    return create_room_body(conference.id, conference.janus_room_id, conference.recording_started)


def create_room_body(conference_id, room_id: int, recording: bool) -> dict:
    rec_dir = recordings_dir(conference_id)
    rec_dir.mkdir(parents=True, exist_ok=True)
    return {
        "request": "create",
        "room": room_id,
        "permanent": False,
        "description": f"{ROOM_PREFIX}{conference_id}",
        "secret": room_secret(conference_id),
        "admin_key": settings.JANUS_ROOM_ADMIN_KEY,
        "allowed": [],  # nobody may join until the engine adds their ACL token
        "is_private": True,
        "require_pvtid": True,
        "publishers": MAX_PUBLISHERS,
        "audiocodec": "opus",
        "videocodec": "vp8,h264,vp9",
        "notify_joining": True,
        "record": recording,
        "rec_dir": str(rec_dir),
    }


# --- synchronous administration (REST views, Celery tasks) over the HTTP API -----------------

def ensure_room_sync(admin: VideoRoomAdmin, conference) -> None:
    try:
        admin.request(create_room_body(conference.id, conference.janus_room_id, conference.recording_started))
    except JanusError as exc:
        if exc.code != ROOM_EXISTS:
            raise


def on_every_server(action, *args) -> list:
    """`action(admin, *args)` on each server of the pool (a room may be left on one it moved
    away from); the results of those that answered. Raises if none answered."""
    results, failures = [], []
    for server in janus_pool.servers():
        try:
            with VideoRoomAdmin(server.http()) as admin:
                results.append(action(admin, *args))
        except JanusError as exc:
            failures.append(exc)
    if failures and not results:
        raise failures[0]
    return results


def destroy_room(conference_id, room_id: int, admin: VideoRoomAdmin | None = None) -> bool:
    """Destroys the room (Janus tells every handle in it); False if there was no such room.
    Without `admin`: on every server of the pool."""
    if admin is None:
        return any(on_every_server(_destroy_room, conference_id, room_id))
    return _destroy_room(admin, conference_id, room_id)


def _destroy_room(admin: VideoRoomAdmin, conference_id, room_id: int) -> bool:
    try:
        admin.request({"request": "destroy", "room": room_id, "secret": room_secret(conference_id)})
        return True
    except JanusError as exc:
        if exc.code == NO_SUCH_ROOM:
            return False
        raise


def kick_participant(conference_id, room_id: int, participant_id, admin: VideoRoomAdmin | None = None) -> int:
    """Kicks every feed of the participant out of the room; returns how many were kicked.
    Without `admin`: on every server of the pool."""
    if admin is None:
        return sum(on_every_server(_kick_participant, conference_id, room_id, participant_id))
    return _kick_participant(admin, conference_id, room_id, participant_id)


def _kick_participant(admin: VideoRoomAdmin, conference_id, room_id: int, participant_id) -> int:
    try:
        listing = admin.request({"request": "listparticipants", "room": room_id})
    except JanusError as exc:
        if exc.code == NO_SUCH_ROOM:
            return 0
        raise
    secret = room_secret(conference_id)
    kicked = 0
    for feed in listing.get("participants", []):
        parsed = parse_display(feed.get("display"))
        if parsed and parsed[0] == str(participant_id):
            admin.request({"request": "kick", "room": room_id, "id": feed["id"], "secret": secret})
            kicked += 1
    _revoke_participant(admin, conference_id, room_id, participant_id)
    return kicked


def revoke_participant(conference_id, room_id: int, participant_id, admin: VideoRoomAdmin | None = None) -> None:
    """Takes the participant off the room's allow-list: no handle of theirs may join it any more
    (feeds already in the room stay). Without `admin`: on every server of the pool."""
    if admin is None:
        on_every_server(_revoke_participant, conference_id, room_id, participant_id)
    else:
        _revoke_participant(admin, conference_id, room_id, participant_id)


def _revoke_participant(admin: VideoRoomAdmin, conference_id, room_id: int, participant_id) -> None:
    try:
        admin.request({"request": "allowed", "room": room_id, "secret": room_secret(conference_id),
                       "action": "remove", "allowed": [participant_acl_token(participant_id)]})
    except JanusError as exc:
        if exc.code != NO_SUCH_ROOM:
            raise
