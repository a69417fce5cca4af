"""Fan-out of Mind notifications over the Channels layer (Redis).

Every change in a conference produces one notification, as the Mind API defines it::

    {"type": "created" | "updated" | "deleted", "location": "/participants/<id>", "resource": {...}}

`location` is relative to the conference ("/" is the conference itself). Notifications travel
through these channel-layer groups (group names allow only ASCII letters, digits, "-", "_", "."):

``mind.conference.<conferenceId>``
    Every participant session of the conference joins it (`mind.realtime.session`).
``mind.participant.<participantId>``
    The sessions of one participant join it: messages addressed to that participant, and
    `mind.session.end` with 4001 when the participant is deleted (the session must close).
``mind.application.<conferenceId>``
    The application WebSocket of the conference (`mind.realtime.app_socket`). Only one socket at a time:
    a newcomer sends `mind.app_socket.replace` to the group, which closes the older one with 4001.

Channel-layer event types (the `type` key becomes the consumer method, dots → underscores):

``mind.notification``  ``{"type": "mind.notification", "notification": {type, location, resource}}``
    A consumer sends `notification` to its client as JSON, unchanged.
``mind.session.end``  ``{"type": "mind.session.end", "code": 4000 | 4001}``
    Close the socket with `code` (`mind.realtime.close_codes`): 4000 the conference has ended, 4001 the participant was expelled.
``mind.app_socket.replace``  ``{"type": "mind.app_socket.replace", "channel": <newcomer's channel>}``
    (application group only) Every older socket closes with 4001.

Sends happen after the database transaction commits (`transaction.on_commit`), so a listener
that re-reads the database sees the change it is told about.
"""

from __future__ import annotations

import logging
from uuid import UUID

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from mind.realtime import close_codes

logger = logging.getLogger(__name__)

CREATED, UPDATED, DELETED = "created", "updated", "deleted"


def conference_group(conference_id: UUID | str) -> str:
    return f"mind.conference.{conference_id}"


def participant_group(participant_id: UUID | str) -> str:
    return f"mind.participant.{participant_id}"


def application_group(conference_id: UUID | str) -> str:
    return f"mind.application.{conference_id}"


def notification(type_: str, location: str, resource: dict | list | None) -> dict:
    return {"type": type_, "location": location, "resource": resource}


def _send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # a notification lost must not undo the change the caller committed
        logger.exception("could not send %s to %s", event.get("type"), group)


def send_after_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: _send(group, event))


def to_application(conference_id, note: dict) -> None:
    send_after_commit(application_group(conference_id), {"type": "mind.notification", "notification": note})


def to_participants(conference_id, note: dict) -> None:
    send_after_commit(conference_group(conference_id), {"type": "mind.notification", "notification": note})


def to_participant(participant_id, note: dict) -> None:
    send_after_commit(participant_group(participant_id), {"type": "mind.notification", "notification": note})


def end_sessions(conference_id) -> None:
    """Close every socket of the conference (application and participants) with 4000."""
    event = {"type": "mind.session.end", "code": close_codes.CONFERENCE_ENDED}
    send_after_commit(conference_group(conference_id), event)
    send_after_commit(application_group(conference_id), event)


def expel_participant(participant_id) -> None:
    send_after_commit(participant_group(participant_id), {"type": "mind.session.end", "code": close_codes.EXPELLED})
