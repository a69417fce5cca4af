"""The room hears about rating changes: the participant whose rating changed and the meeting's hosts
get a `confer.quality` instruction (a Mind message from the application, as meetings.media sends
`confer.mute`): `{"type": "confer.quality", "participantId": <engine id>, "rating": "good"|"fair"|"poor"}`.
The room shows "poor connection" with a hint to the person and a badge to the hosts."""

from __future__ import annotations

import logging

from meetings import media
from meetings.models import Participant
from meetings.representations import participant_event_object
from webhooks import events as webhooks

logger = logging.getLogger(__name__)

HOST_ROLES = (Participant.Role.HOST, Participant.Role.ALTERNATIVE_HOST, Participant.Role.CO_HOST)


def tell_room(sender, conference_id, participant_id, rating, previous, at, **kwargs) -> None:
    in_meeting = Participant.objects.filter(instance__conference_id=conference_id,
                                            status=Participant.Status.IN_MEETING).exclude(media_participant_id="")
    person = in_meeting.filter(media_participant_id=participant_id).first()
    recipients = {participant_id} | set(in_meeting.filter(role__in=HOST_ROLES).values_list("media_participant_id", flat=True))
    instruction = {"type": "confer.quality", "participantId": participant_id, "rating": rating,
                   "name": person.name if person else ""}
    for recipient in recipients:
        try:
            media.tell_participant(conference_id, recipient, instruction)
        except Exception:  # a lost notice must not break ingest; the rating is stored either way
            logger.exception("could not tell %s about a quality change", recipient)


def alert_subscribers(sender, conference_id, participant_id, rating, previous, at, **kwargs) -> None:
    """Zoom's `meeting.alert` webhook when someone's connection turns poor (once per turn, not per sample)."""
    if rating != "poor" or previous == "poor":
        return
    person = (Participant.objects.select_related("instance__meeting__account", "instance__meeting__host", "user")
              .filter(instance__conference_id=conference_id, media_participant_id=participant_id).first())
    if person is None or person.instance is None:
        return
    event = participant_event_object(person.instance, person)
    event["issues"] = ["Poor network connection"]
    webhooks.emit(person.instance.meeting.account, "meeting.alert", event)
