"""Releases Janus resources the database no longer accounts for.

Rooms and handles are tagged (room description "mind:<conferenceId>", handle opaque_id
"mind:<conferenceId>:<participantId>", a streaming's "mind-streaming:<conferenceId>:<streamingId>"),
so the Admin API and the VideoRoom `list` tell us whose they are. A room whose conference is
deleted or ended is destroyed; a Janus session holding a handle of a deleted participant or
streaming (or of an ended conference) is destroyed. Sessions of live participants and streamings
are left alone: their process keeps them alive and releases them itself. Every server of the
pool (`JANUS_SERVERS`) is reconciled; there, a room whose conference another server now holds is
destroyed too (mind.engine.janus_pool). Streamings themselves
(ffmpeg, forwarders) are reconciled by `mind.engine.streaming.reconcile`.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings

from mind.engine import janus_pool, rooms
from mind.engine.janus import Janus, JanusError, VideoRoomAdmin
from mind.engine.streaming_stage import OPAQUE_PREFIX as STREAMING_PREFIX
from mind.models import Conference, Participant, Streaming

logger = logging.getLogger(__name__)


def _live_conference_ids(ids: set[str]) -> set[str]:
    from django.utils import timezone

    valid = {i for i in ids if _is_uuid(i)}
    return {str(pk) for pk in Conference.objects.filter(pk__in=valid, ending_at__gt=timezone.now())
            .values_list("pk", flat=True)}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


def reconcile(janus: Janus | None = None) -> dict:
    """Returns how many rooms and sessions were released (on `janus`, or on every server of the pool)."""
    released = {"rooms": 0, "sessions": 0}
    targets = [(janus, None)] if janus is not None else [(server.http(), server.name) for server in janus_pool.servers()]
    for target, name in targets:
        try:
            found = _reconcile_server(target, name)
        except JanusError as exc:  # a server that is down has nothing to release now
            logger.warning("reconcile: Janus %s: %s", name or target.url, exc)
            continue
        for key, count in found.items():
            released[key] += count
    if any(released.values()):
        logger.info("reconcile: released %s", released)
    return released


def _reconcile_server(janus: Janus, server_name: str | None) -> dict:
    """One server. A room of a live conference is also destroyed when the conference is held by
    another server of the pool (a move left it behind): its members recover onto the right one."""
    released = {"rooms": 0, "sessions": 0}
    with VideoRoomAdmin(janus) as admin:
        listing = admin.request({"request": "list", "admin_key": settings.JANUS_ROOM_ADMIN_KEY}).get("list", [])
        described = {room["room"]: rooms.conference_id_of_room(room.get("description")) for room in listing}
        ours = {room_id: cid for room_id, cid in described.items() if cid}
        live = _live_conference_ids(set(ours.values()))
        holders = dict(Conference.objects.filter(pk__in=live).values_list("pk", "janus_server"))
        for room_id, conference_id in ours.items():
            holder = holders.get(uuid.UUID(conference_id)) if conference_id in live else None
            moved_away = server_name is not None and bool(holder) and holder != server_name
            if (conference_id not in live or moved_away) and rooms.destroy_room(conference_id, room_id, admin):
                released["rooms"] += 1
        admin_session = admin.session_id

    for session_id in janus.admin("list_sessions").get("sessions", []):
        if session_id == admin_session:
            continue
        try:
            owners = _session_owners(janus, session_id)
            if owners and not _any_alive(owners):
                janus.admin("destroy_session", session_id=session_id)
                released["sessions"] += 1
        except JanusError as exc:  # the session went away while we looked: fine
            logger.debug("reconcile: session %s: %s", session_id, exc)
    return released


def _session_owners(janus: Janus, session_id: int) -> set[tuple[str, str, str]]:
    """(kind, conferenceId, id) of each tagged handle: a participant's or a streaming's."""
    owners = set()
    for handle_id in janus.admin("list_handles", session_id=session_id).get("handles", []):
        info = janus.admin("handle_info", session_id=session_id, handle_id=handle_id).get("info", {})
        opaque = info.get("opaque_id") or ""
        for kind, prefix in (("streaming", STREAMING_PREFIX), ("participant", rooms.OPAQUE_PREFIX)):
            if opaque.startswith(prefix):
                conference_id, _, owner_id = opaque[len(prefix):].partition(":")
                owners.add((kind, conference_id, owner_id))
                break
    return owners


def _any_alive(owners: set[tuple[str, str, str]]) -> bool:
    live_conferences = _live_conference_ids({c for _, c, _ in owners})
    ids = {kind: {o for k, c, o in owners if k == kind and c in live_conferences and _is_uuid(o)}
           for kind in ("participant", "streaming")}
    return (Participant.objects.filter(pk__in=ids["participant"]).exists()
            or Streaming.objects.filter(pk__in=ids["streaming"]).exists())
