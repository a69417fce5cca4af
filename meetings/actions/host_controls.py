"""What hosts and co-hosts do in the room: who may act as host, the roster, and the controls on one
participant (mute, ask to unmute, remove, make or revoke co-host).

Hosts act with their join ticket (or, signed in, as the meeting's host or an alternative host);
co-hosts use every control except ending the meeting and appointing co-hosts.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone

from accounts import pictures
from meetings import media
from meetings.actions.admission import participant_for_ticket, role_for
from meetings.errors import JoinError
from meetings.models import Meeting, Participant


def host_actor(meeting_id: int, *, ticket: str = "", user=None, hosts_only: bool = False) -> Meeting:
    """The meeting, if the caller may act as its host: a host or co-host participant in the meeting
    (ticket), or the signed-in host or alternative host. `hosts_only` leaves co-hosts out (ending
    the meeting for everyone, appointing co-hosts)."""
    return _actor(meeting_id, ticket=ticket, user=user, hosts_only=hosts_only)[0]


def _actor(meeting_id: int, *, ticket: str = "", user=None, hosts_only: bool = False) -> tuple[Meeting, Participant | None]:
    """(meeting, the acting participant or None for a signed-in host acting without a ticket)."""
    if ticket:
        participant = participant_for_ticket(meeting_id, ticket)
        allowed = participant.is_host if hosts_only else participant.can_moderate
        if allowed and participant.status == Participant.Status.IN_MEETING:
            return participant.meeting, participant
        raise JoinError(403, "Only the host can do this." if hosts_only else "Only the host or a co-host can do this.")
    meeting = Meeting.objects.alive().select_related("host").filter(pk=meeting_id).first()
    if meeting is None:
        raise JoinError(404, "This meeting does not exist or has been deleted.")
    if user is not None and user.is_authenticated and role_for(meeting, user) != Participant.Role.ATTENDEE:
        return meeting, None
    raise JoinError(403, "Only the host can do this.")


PARTICIPANT_ACTIONS = ("mute", "ask-unmute", "remove", "make-cohost", "revoke-cohost")


def roster(meeting_id: int, ticket: str) -> list[dict]:
    """Who is in the live instance, with their meeting roles (the room labels hosts and co-hosts and
    shows host controls by them). Any participant in the meeting may ask; ids are the media
    participant ids the room sees in the engine."""
    participant = participant_for_ticket(meeting_id, ticket)
    if participant.status != Participant.Status.IN_MEETING or participant.instance is None:
        raise JoinError(403, "You are not in this meeting.")
    people = (participant.instance.participants.filter(status=Participant.Status.IN_MEETING)
              .select_related("user").order_by("joined_at"))
    # `picture`: a signed-in person's profile picture, shown on their tile while the camera is off.
    return [{"id": p.media_participant_id or p.key, "name": p.name, "role": p.role,
             "picture": (pictures.picture_url(p.user) or "") if p.user else ""} for p in people]


def _target(meeting: Meeting, target_id: str) -> Participant:
    """The participant in the live instance with that media participant id (or meeting participant id)."""
    live = meeting.live_instance()
    if live is None:
        raise JoinError(409, "The meeting is not in progress.")
    found = None
    if target_id:
        found = (live.participants.select_for_update().select_related("meeting", "instance")
                 .filter(status=Participant.Status.IN_MEETING)
                 .filter(models.Q(media_participant_id=target_id) | models.Q(key=target_id)).first())
    if found is None:
        raise JoinError(404, "Nobody with that id is in the meeting.")
    return found


def act_on_participant(meeting_id: int, target_id: str, action: str, *, ticket: str = "", user=None) -> Participant:
    """A host control on one participant in the meeting:

    - `mute`: their client mutes its microphone (they may unmute themselves again);
    - `ask-unmute`: their client asks them to unmute (only they can);
    - `remove`: out of the meeting at once (their session closes with 4001) and kept out;
    - `make-cohost` / `revoke-cohost` (hosts only): co-hosts may use these controls too (and share
      their screen: presenters in the engine), except ending the meeting and appointing co-hosts.

    The rows change in a short transaction; the engine is told after it (no row lock held), and a
    change is undone if the engine refuses (503).
    """
    if action not in PARTICIPANT_ACTIONS:
        raise JoinError(400, f"action must be one of {', '.join(PARTICIPANT_ACTIONS)}.")
    hosts_only = action in ("make-cohost", "revoke-cohost")
    with transaction.atomic():
        meeting, actor = _actor(meeting_id, ticket=ticket, user=user, hosts_only=hosts_only)
        target = _target(meeting, target_id)
        before = {"status": target.status, "removed": target.removed, "left_at": target.left_at, "role": target.role,
                  "muted": target.muted}
        if action == "mute":
            target.muted = True
            target.save(update_fields=["muted"])
        elif action == "remove":
            _remove(actor, target)
        elif action in ("make-cohost", "revoke-cohost"):
            _set_cohost(target, action == "make-cohost")
    assert target.instance is not None  # _target found it among the live instance's participants
    conference_id, media_id = target.media_conference_id, target.media_participant_id  # a breakout room's, maybe
    try:
        if action == "mute":
            media.mute_participant(conference_id, media_id)
        elif action == "ask-unmute":
            media.ask_to_unmute(conference_id, media_id)
        elif action == "remove":
            # Deleting the engine participant closes their session with 4001: their room shows "removed".
            media.remove_participant(conference_id, media_id)
        elif target.role != before["role"]:
            media.set_role(conference_id, media_id, target.role)
    except media.MediaError as exc:
        Participant.objects.filter(pk=target.pk).update(**before)  # as if it had not happened
        raise JoinError(503, f"The media engine could not do that: {exc}") from exc
    return target


def _remove(actor: Participant | None, target: Participant) -> None:
    if actor is not None and actor.pk == target.pk:
        raise JoinError(400, "You cannot remove yourself; leave the meeting instead.")
    if target.is_host:
        raise JoinError(403, "The host cannot be removed from the meeting.")
    if target.role == Participant.Role.CO_HOST and actor is not None and not actor.is_host:
        raise JoinError(403, "Only the host can remove a co-host.")
    target.status = Participant.Status.LEFT
    target.removed = True
    target.left_at = timezone.now()
    target.save(update_fields=["status", "removed", "left_at"])


def _set_cohost(target: Participant, cohost: bool) -> None:
    if target.is_host:
        raise JoinError(400, "The host already has every host control.")
    role = Participant.Role.CO_HOST if cohost else Participant.Role.ATTENDEE
    if target.role == role:
        return
    target.role = role
    target.save(update_fields=["role"])
