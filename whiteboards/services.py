"""The whiteboard's rules: who may see and change it, the changes, and its PNG.

Anyone in the live meeting (a valid room ticket, status in the meeting) may open the board and, unless
the host restricted drawing to hosts and co-hosts (`hosts_only`), change it. A change is applied
under a row lock (version + 1), then everyone in the conference is told the new version through the
engine's messaging, as an application message `{"type": "confer.whiteboard", "version": n}`; clients
fetch the state (late joiners simply fetch it when they open the board). The message goes out on
commit, so nobody fetches a version that is not stored yet.
"""

from __future__ import annotations

import json
import logging

from django.core.files.base import ContentFile
from django.db import transaction

from meetings import media
from meetings.actions.admission import participant_for_ticket
from meetings.errors import JoinError
from meetings.models import Participant
from whiteboards.models import Whiteboard

log = logging.getLogger(__name__)

MAX_ELEMENTS = 5000
MAX_ELEMENT_BYTES = 256 * 1024
MAX_PNG_BYTES = 8 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OPS = ("add", "remove", "clear", "restrict")


def _participant(meeting_id: int, ticket: str) -> Participant:
    participant = participant_for_ticket(meeting_id, ticket)
    if participant.status != Participant.Status.IN_MEETING or participant.instance is None \
            or participant.instance.ended_at is not None:
        raise JoinError(403, "You are not in this meeting.")
    return participant


def _board(participant: Participant, *, lock: bool = False) -> Whiteboard:
    board, _ = Whiteboard.objects.get_or_create(instance=participant.instance)
    if lock:
        board = Whiteboard.objects.select_for_update().get(pk=board.pk)
    return board


def as_dict(board: Whiteboard, participant: Participant) -> dict:
    return {"version": board.version, "elements": board.elements, "hosts_only": board.hosts_only,
            "may_draw": not board.hosts_only or participant.can_moderate,
            "may_restrict": participant.can_moderate}


def state(meeting_id: int, ticket: str) -> dict:
    participant = _participant(meeting_id, ticket)
    return as_dict(_board(participant), participant)


def _element(value) -> dict:
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not 0 < len(value["id"]) <= 64:
        raise JoinError(400, "element must be an object with an id.")
    if len(json.dumps(value)) > MAX_ELEMENT_BYTES:
        raise JoinError(400, "This drawing is too large.")
    return value


def change(meeting_id: int, ticket: str, data: dict) -> dict:
    """data: {op: add, element} | {op: remove, id} | {op: clear} | {op: restrict, hosts_only} -> the state."""
    op = data.get("op")
    if op not in OPS:
        raise JoinError(400, f"op must be one of {', '.join(OPS)}.")
    participant = _participant(meeting_id, ticket)
    with transaction.atomic():
        board = _board(participant, lock=True)
        if op == "restrict":
            if not participant.can_moderate:
                raise JoinError(403, "Only the host or a co-host can do this.")
            if not isinstance(data.get("hosts_only"), bool):
                raise JoinError(400, "hosts_only must be true or false.")
            board.hosts_only = data["hosts_only"]
        else:
            if board.hosts_only and not participant.can_moderate:
                raise JoinError(403, "The host has allowed only hosts and co-hosts to draw.")
            if op == "add":
                element = _element(data.get("element"))
                if len(board.elements) >= MAX_ELEMENTS:
                    raise JoinError(409, "The whiteboard is full. Clear it to draw more.")
                board.elements = [e for e in board.elements if e.get("id") != element["id"]] + [element]
            elif op == "remove":
                board.elements = [e for e in board.elements if e.get("id") != data.get("id")]
            else:
                board.elements = []
        board.version += 1
        board.save(update_fields=["elements", "version", "hosts_only", "updated_at"])
        conference_id = board.instance.conference_id  # the board belongs to the live session
        version = board.version
        transaction.on_commit(lambda: _announce(conference_id, version))
    return as_dict(board, participant)


def _announce(conference_id: str, version: int) -> None:
    try:
        media.tell_everyone(conference_id, {"type": "confer.whiteboard", "version": version})
    except media.MediaError:  # the change is stored: clients catch up when they next fetch
        log.warning("could not announce whiteboard version %s in conference %s", version, conference_id)


def save_png(meeting_id: int, ticket: str, version: int, data: bytes) -> None:
    """A participant's browser exported the board at `version`: kept unless a newer picture is."""
    participant = _participant(meeting_id, ticket)
    if not data.startswith(PNG_SIGNATURE) or len(data) > MAX_PNG_BYTES:
        raise JoinError(400, "The picture must be a PNG of at most 8 MB.")
    with transaction.atomic():
        board = _board(participant, lock=True)
        if version > board.version or version < board.png_version:
            return  # from the future (refused) or older than the one kept
        old = board.png.name if board.png else ""
        board.png_version = version
        board.png.save("whiteboard.png", ContentFile(data), save=False)  # storage writes a new name: atomic
        board.save(update_fields=["png", "png_version", "updated_at"])
    if old and old != board.png.name:
        transaction.on_commit(lambda: board.png.storage.delete(old))
