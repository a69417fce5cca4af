"""Who gets into a meeting, when, and how: the server side of the room's join flow.

`join()` applies the meeting's settings to one joiner and answers a state:

- `passcode_required`: the meeting has a passcode and none (or a wrong one) was given;
- `denied`: sign-in required (meeting_authentication / authentication_domains), an invalid or
  expired invite link, or the host denied entry;
- `waiting_for_host`: join_before_host is off (or it is earlier than jbh_time allows) and no
  host has joined yet;
- `waiting_room`: the waiting room is on; a host admits or denies;
- `admitted`: in the meeting, with the media conference, a participant token, the role, and
  whether the joiner starts muted (mute_upon_entry).

A host (the meeting's host, an alternative host, or whoever holds the host's start URL) starts the
instance when they arrive; auto_recording=cloud starts recording then. Waiting joiners poll
`status()` with the ticket they were given.
"""

from __future__ import annotations

import dataclasses
import math
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from meetings import media, services
from meetings.models import Instance, Meeting, Participant

TICKET_SALT = "meetings.join-ticket"
MAX_NAME = 64


class JoinError(Exception):
    """The join request itself is wrong (unknown meeting, bad name): a 4xx with a friendly message."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclasses.dataclass
class JoinAnswer:
    state: str
    participant: Participant | None = None
    message: str = ""
    reason: str = ""

    def as_dict(self) -> dict:
        data: dict = {"state": self.state, "message": self.message}
        if self.reason:
            data["reason"] = self.reason
        participant = self.participant
        if participant is None:
            return data
        meeting = participant.meeting
        settings = {**meeting.settings}
        data.update({
            "ticket": ticket_for(participant),
            "participant_id": participant.key,
            "name": participant.name,
            "role": participant.role,
            "muted": participant.muted,
            "conference": None,
            "participant_token": None,
            "meeting": {"id": meeting.pk, "topic": meeting.topic},
            "room": {
                "video_on": bool(settings.get("host_video") if participant.is_host else settings.get("participant_video")),
                "focus_mode": bool(settings.get("focus_mode")),
                "watermark": bool(settings.get("watermark")),
                "waiting_room": bool(settings.get("waiting_room")),
            },
        })
        if self.state == "admitted" and participant.instance is not None:
            data["conference"] = {
                "id": participant.instance.conference_id or None,
                "uri": media.conference_uri(participant.instance.conference_id) or None,
                "instance_uuid": participant.instance.uuid,
                "started_at": participant.instance.started_at.isoformat(),
                "recording": participant.instance.recording_state,
            }
            data["participant_token"] = participant.media_token or None
            data["media_participant_id"] = participant.media_participant_id or None
        return data


def ticket_for(participant: Participant) -> str:
    return signing.dumps(participant.key, salt=TICKET_SALT)


def participant_for_ticket(meeting_id: int, ticket: str) -> Participant:
    try:
        key = signing.loads(ticket or "", salt=TICKET_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise JoinError(403, "This join ticket is not valid.") from None
    participant = (Participant.objects.select_related("meeting", "meeting__host", "instance", "user")
                   .filter(key=key, meeting_id=meeting_id).first())
    if participant is None:
        raise JoinError(403, "This join ticket is not valid.")
    return participant


def _role_for(meeting: Meeting, user, start_token: str) -> str:
    if start_token and services.read_start_token(meeting, start_token):
        return Participant.Role.HOST
    if user is not None and user.is_authenticated:
        if user.pk == meeting.host_id:
            return Participant.Role.HOST
        alternatives = {e.lower() for e in meeting.setting("alternative_hosts").split(";") if e}
        if user.account_id == meeting.account_id and user.email.lower() in alternatives:
            return Participant.Role.ALTERNATIVE_HOST
    return Participant.Role.ATTENDEE


def _authentication_problem(meeting: Meeting, user) -> str:
    if not meeting.setting("meeting_authentication"):
        return ""
    if user is None or not user.is_authenticated:
        return "Only signed-in users can join this meeting. Sign in and try again."
    domains = [d for d in meeting.setting("authentication_domains").split(",") if d]
    if domains and user.email.rsplit("@", 1)[-1].lower() not in domains:
        return "Only users from allowed email domains can join this meeting."
    return ""


def host_may_be_absent(meeting: Meeting, now) -> bool:
    """join_before_host with jbh_time: 0 = any time, 5 or 10 = that many minutes before the start."""
    if not meeting.setting("join_before_host"):
        return False
    minutes = meeting.setting("jbh_time") or 0
    start = services.next_start(meeting, now)
    if minutes == 0 or start is None:
        return True
    return now >= start - timedelta(minutes=minutes)


def _admit(participant: Participant, instance: Instance) -> None:
    """Puts the participant in the instance's conference, muted if the meeting says so."""
    meeting = participant.meeting
    participant.instance = instance
    participant.status = Participant.Status.IN_MEETING
    participant.joined_at = timezone.now()
    participant.muted = bool(meeting.setting("mute_upon_entry")) and not participant.is_host
    try:
        participant.media_participant_id, participant.media_token = media.add_participant(
            instance.conference_id, participant.name, participant.role)
    except media.MediaError as exc:
        raise JoinError(503, f"The media engine could not add you to the meeting: {exc}") from exc
    participant.save()


def _host_arrived(instance: Instance) -> None:
    """The first host is in: everyone waiting for the host goes on (to the waiting room if it is on)."""
    meeting = instance.meeting
    instance.host_joined_at = timezone.now()
    instance.save(update_fields=["host_joined_at"])
    waiting = Participant.objects.select_related("meeting").filter(meeting=meeting, status=Participant.Status.WAITING_FOR_HOST)
    for participant in waiting:
        if meeting.setting("waiting_room"):
            participant.instance = instance
            participant.status = Participant.Status.WAITING_ROOM
            participant.save(update_fields=["instance", "status"])
        else:
            _admit(participant, instance)


@transaction.atomic
def join(meeting_id: int, *, user=None, name: str = "", passcode: str = "", pwd: str = "",
         invite_token: str = "", start_token: str = "", client: str = "") -> JoinAnswer:
    meeting = (Meeting.objects.alive().select_for_update().select_related("host")
               .filter(pk=meeting_id).first())
    if meeting is None:
        raise JoinError(404, "This meeting does not exist or has been deleted. Check the meeting ID.")
    user = user if user is not None and user.is_authenticated else None
    role = _role_for(meeting, user, start_token)
    is_host = role != Participant.Role.ATTENDEE

    invite = None
    if invite_token and not is_host:
        invite = services.read_invite_token(meeting, invite_token)
        if invite is None:
            return JoinAnswer("denied", reason="invite_invalid",
                              message="This invite link has expired or is not valid. Ask the host for a new one.")
    name = (invite["n"] if invite else (name or "").strip()) or (user.get_full_name() if user else "")
    if not name or len(name) > MAX_NAME or "\x00" in name:
        raise JoinError(400, f"Enter your name (1 to {MAX_NAME} characters).")

    if not is_host:
        problem = _authentication_problem(meeting, user)
        if problem:
            return JoinAnswer("denied", reason="authentication_required", message=problem)
        if invite is None and meeting.password and passcode:
            check_passcode_attempts(meeting.pk, client)  # a typed passcode is a guess (pwd tokens are not)
        if invite is None and not services.passcode_matches(meeting, passcode, pwd):
            wrong = bool(passcode or pwd)
            if passcode:
                record_wrong_passcode(meeting.pk, client)  # in Redis, whatever becomes of this transaction
            return JoinAnswer("passcode_required", reason="wrong_passcode" if wrong else "",
                              message="Wrong passcode. Try again." if wrong else "Enter the meeting passcode.")

    participant = Participant(meeting=meeting, user=user, name=name, role=role,
                              email=user.email if user else "")
    now = timezone.now()
    live = meeting.live_instance()
    if (not is_host and user is not None and live is not None
            and live.participants.filter(user=user, removed=True).exists()):
        return JoinAnswer("denied", reason="removed", message="The host removed you from this meeting.")
    if is_host:
        if live is None:
            live = services.start_instance(meeting)
        participant.instance = live
        participant.status = Participant.Status.IN_MEETING
        _admit(participant, live)
        if live.host_joined_at is None:
            _host_arrived(live)
        return JoinAnswer("admitted", participant, "You are in the meeting.")

    host_here = live is not None and live.host_joined_at is not None
    if not host_here and not host_may_be_absent(meeting, now):
        participant.instance = live
        participant.status = Participant.Status.WAITING_FOR_HOST
        participant.save()
        return JoinAnswer("waiting_for_host", participant, "Waiting for the host to start this meeting.")
    if live is None:
        live = services.start_instance(meeting)
    if meeting.setting("waiting_room"):
        participant.instance = live
        participant.status = Participant.Status.WAITING_ROOM
        participant.save()
        return JoinAnswer("waiting_room", participant, "Please wait, the host will let you in soon.")
    _admit(participant, live)
    return JoinAnswer("admitted", participant, "You are in the meeting.")


def _attempts_key(meeting_id: int, client: str) -> str:
    return f"meetings:wrong-passcode:{meeting_id}:{client}"


def check_passcode_attempts(meeting_id: int, client: str) -> None:
    """Passcodes are short, so typed guesses are limited -- only typed ones: hosts, alternative
    hosts, invite links and join links (pwd) never reach this, so nobody can lock them out.

    Per client address: JOIN_PASSCODE_ATTEMPTS wrong guesses in 15 minutes. Per meeting (any
    address): after JOIN_PASSCODE_FREE_FAILURES wrong guesses, each further guess waits twice as long
    as the one before (1 s, 2 s, 4 s ... 15 min) after the last wrong one."""
    if (cache.get(_attempts_key(meeting_id, client)) or 0) >= settings.JOIN_PASSCODE_ATTEMPTS:
        raise JoinError(429, "Too many wrong passcodes. Wait a few minutes and try again.", 15 * 60)
    failures = cache.get(_attempts_key(meeting_id, "*")) or 0
    extra = failures - settings.JOIN_PASSCODE_FREE_FAILURES
    if extra >= 0:
        wait = min(2 ** extra, 15 * 60)
        elapsed = time.time() - (cache.get(_attempts_key(meeting_id, "last")) or 0)
        if elapsed < wait:
            raise JoinError(429, "Too many wrong passcodes for this meeting. Wait a moment and try again.",
                            max(1, math.ceil(wait - elapsed)))


def record_wrong_passcode(meeting_id: int, client: str) -> None:
    for key in (_attempts_key(meeting_id, client), _attempts_key(meeting_id, "*")):
        cache.add(key, 0, timeout=15 * 60)
        cache.incr(key)
    cache.set(_attempts_key(meeting_id, "last"), time.time(), timeout=15 * 60)


STATE_FOR = {
    Participant.Status.WAITING_FOR_HOST: ("waiting_for_host", "Waiting for the host to start this meeting."),
    Participant.Status.WAITING_ROOM: ("waiting_room", "Please wait, the host will let you in soon."),
    Participant.Status.IN_MEETING: ("admitted", "You are in the meeting."),
    Participant.Status.LEFT: ("ended", "You have left the meeting, or it has ended."),
    Participant.Status.DENIED: ("denied", "The host did not let you in."),
}


REMOVED = ("removed", "The host removed you from the meeting.")


def status(meeting_id: int, ticket: str) -> JoinAnswer:
    """What a waiting joiner polls: their current state (with media details once admitted)."""
    participant = participant_for_ticket(meeting_id, ticket)
    state, message = REMOVED if participant.removed else STATE_FOR[participant.status]
    return JoinAnswer(state, participant, message, reason="host_denied" if state == "denied" else "")


@transaction.atomic
def leave(meeting_id: int, ticket: str) -> JoinAnswer:
    participant = participant_for_ticket(meeting_id, ticket)
    if participant.status in (Participant.Status.LEFT, Participant.Status.DENIED):
        return status(meeting_id, ticket)
    depart(participant)
    return JoinAnswer("ended", participant, "You have left the meeting.")


def depart(participant: Participant) -> None:
    """The participant has left (Leave, hung up, or gone from the media): out of the conference, and
    the last one out ends the meeting. Call it inside a transaction."""
    participant.status = Participant.Status.LEFT
    participant.left_at = timezone.now()
    participant.save(update_fields=["status", "left_at"])
    instance = participant.instance
    if instance is None or not instance.is_live:
        return
    try:
        media.remove_participant(instance.conference_id, participant.media_participant_id)
    except media.MediaError:
        pass  # the conference forgets them when it ends
    if not instance.participants.filter(status=Participant.Status.IN_MEETING).exists():
        services.end_instance(instance)


@transaction.atomic
def gone_from_media(media_participant_id: str) -> None:
    """The participant's media session ended without a Leave (tab closed, network lost for longer
    than the engine's grace period): like Zoom, they have left the meeting."""
    participant = (Participant.objects.select_for_update(of=("self",)).select_related("instance")
                   .filter(media_participant_id=media_participant_id, status=Participant.Status.IN_MEETING)
                   .first())
    if participant is not None:
        depart(participant)


# --- host actions --------------------------------------------------------------------------------


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
    if user is not None and user.is_authenticated and _role_for(meeting, user, "") != Participant.Role.ATTENDEE:
        return meeting, None
    raise JoinError(403, "Only the host can do this.")


def waiting_list(meeting: Meeting) -> list[dict]:
    waiting = meeting.participants.filter(status__in=[Participant.Status.WAITING_ROOM,
                                                      Participant.Status.WAITING_FOR_HOST]).order_by("created_at")
    return [{"participant_id": p.key, "name": p.name, "state": STATE_FOR[p.status][0],
             "since": p.created_at.isoformat()} for p in waiting]


@transaction.atomic
def admit(meeting: Meeting, participant_key: str) -> Participant:
    participant = (meeting.participants.select_for_update().select_related("meeting")
                   .filter(key=participant_key).first())
    if participant is None or participant.status != Participant.Status.WAITING_ROOM:
        raise JoinError(404, "Nobody with that id is in the waiting room.")
    live = meeting.live_instance()
    if live is None:
        raise JoinError(409, "The meeting is not in progress.")
    _admit(participant, live)
    return participant


@transaction.atomic
def deny(meeting: Meeting, participant_key: str) -> Participant:
    participant = meeting.participants.select_for_update().filter(key=participant_key).first()
    if participant is None or participant.status not in (Participant.Status.WAITING_ROOM,
                                                         Participant.Status.WAITING_FOR_HOST):
        raise JoinError(404, "Nobody with that id is waiting.")
    participant.status = Participant.Status.DENIED
    participant.left_at = timezone.now()
    participant.save(update_fields=["status", "left_at"])
    return participant


# --- in-meeting host controls (the room's participants panel) --------------------------------------

PARTICIPANT_ACTIONS = ("mute", "ask-unmute", "remove", "make-cohost", "revoke-cohost")


def roster(meeting_id: int, ticket: str) -> list[dict]:
    """Who is in the live instance, with their meeting roles (the room labels hosts and co-hosts and
    shows host controls by them). Any participant in the meeting may ask; ids are the media
    participant ids the room sees in the engine."""
    participant = participant_for_ticket(meeting_id, ticket)
    if participant.status != Participant.Status.IN_MEETING or participant.instance is None:
        raise JoinError(403, "You are not in this meeting.")
    people = participant.instance.participants.filter(status=Participant.Status.IN_MEETING).order_by("joined_at")
    return [{"id": p.media_participant_id or p.key, "name": p.name, "role": p.role} for p in people]


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


@transaction.atomic
def act_on_participant(meeting_id: int, target_id: str, action: str, *, ticket: str = "", user=None) -> Participant:
    """A host control on one participant in the meeting:

    - `mute`: their client mutes its microphone (they may unmute themselves again);
    - `ask-unmute`: their client asks them to unmute (only they can);
    - `remove`: out of the meeting at once (their session closes with 4001) and kept out;
    - `make-cohost` / `revoke-cohost` (hosts only): co-hosts are moderators in the engine and may use
      these controls too, except ending the meeting and appointing co-hosts.
    """
    if action not in PARTICIPANT_ACTIONS:
        raise JoinError(400, f"action must be one of {', '.join(PARTICIPANT_ACTIONS)}.")
    hosts_only = action in ("make-cohost", "revoke-cohost")
    meeting, actor = _actor(meeting_id, ticket=ticket, user=user, hosts_only=hosts_only)
    target = _target(meeting, target_id)
    conference_id = target.instance.conference_id
    try:
        if action == "mute":
            target.muted = True
            target.save(update_fields=["muted"])
            media.mute_participant(conference_id, target.media_participant_id)
        elif action == "ask-unmute":
            media.ask_to_unmute(conference_id, target.media_participant_id)
        elif action == "remove":
            _remove(actor, target)
        else:
            _set_cohost(target, action == "make-cohost")
    except media.MediaError as exc:
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
    # Deleting the engine participant closes their session with 4001: their room shows "removed".
    media.remove_participant(target.instance.conference_id, target.media_participant_id)


def _set_cohost(target: Participant, cohost: bool) -> None:
    if target.is_host:
        raise JoinError(400, "The host already has every host control.")
    role = Participant.Role.CO_HOST if cohost else Participant.Role.ATTENDEE
    if target.role == role:
        return
    target.role = role
    target.save(update_fields=["role"])
    media.set_role(target.instance.conference_id, target.media_participant_id, role)
