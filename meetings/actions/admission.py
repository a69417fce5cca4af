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

Phone callers (`meetings.sip`) go through the same rules here: one `admit_participant`, one
`depart`, one wrong-passcode limiter and one host-role check serve the browser and the phone.

The engine is never called while the meeting's row lock is held (`run_admission`): when a join
must start the meeting, the lock is released, the conference is created, and the decision is made
again with it; people admitted under the lock are added to the conference after the commit
(`connect`), and their admission is undone if the engine refuses.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import zak
from config import turn
from meetings import media
from meetings.actions import pushes
from meetings.actions.links import (
    passcode_matches,
    read_invite_token,
    read_registrant_token,
    read_start_token,
    registration_url,
)
from meetings.actions.live import (
    create_conference,
    discard_conference,
    end_instance,
    start_auto_recording,
    start_instance,
)
from meetings.actions.lookups import next_start
from meetings.errors import JoinError
from meetings.models import Instance, Meeting, Participant, Registrant
from meetings.representations import participant_event_object
from webhooks import events as webhooks

logger = logging.getLogger(__name__)

TICKET_SALT = "meetings.join-ticket"
MAX_NAME = 64


@dataclasses.dataclass
class JoinAnswer:
    state: str
    participant: Participant | None = None
    message: str = ""
    reason: str = ""
    registration_url: str = ""

    def as_dict(self) -> dict:
        data: dict = {"state": self.state, "message": self.message}
        if self.reason:
            data["reason"] = self.reason
        if self.registration_url:
            data["registration_url"] = self.registration_url
        participant = self.participant
        if participant is None:
            return data
        meeting = participant.meeting
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
                "video_on": bool(meeting.setting("host_video") if participant.is_host
                                 else meeting.setting("participant_video")),
                "focus_mode": bool(meeting.setting("focus_mode")),
                "watermark": bool(meeting.setting("watermark")),
                "waiting_room": bool(meeting.setting("waiting_room")),
                # The browsers encrypt the media end to end (static/js/e2ee/); the server cannot record it.
                "e2ee": meeting.end_to_end_encrypted,
            },
        })
        if self.state == "admitted" and participant.instance is not None:
            conference_id = participant.media_conference_id  # the main room's, or their breakout room's
            data["conference"] = {
                "id": conference_id or None,
                "uri": media.conference_uri(conference_id) or None,
                "instance_uuid": participant.instance.uuid,
                "started_at": participant.instance.started_at.isoformat(),
                "recording": participant.instance.recording_state,
            }
            data["participant_token"] = participant.media_token or None
            data["media_participant_id"] = participant.media_participant_id or None
            # TURN relay credentials (time-limited) for networks that block direct media.
            data["ice_servers"] = turn.ice_servers(participant.key)
        return data


def ticket_for(participant: Participant) -> str:
    return signing.dumps(participant.key, salt=TICKET_SALT)


def participant_for_ticket(meeting_id: int, ticket: str) -> Participant:
    try:
        # signing.dumps stamps the time: a ticket lives ROOM_TICKET_SECONDS; every status answer renews it.
        key = signing.loads(ticket or "", salt=TICKET_SALT, max_age=settings.ROOM_TICKET_SECONDS)
    except signing.SignatureExpired:
        raise JoinError(403, _("This join ticket has expired. Reload the page to rejoin.")) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise JoinError(403, _("This join ticket is not valid.")) from None
    participant = (Participant.objects.select_related("meeting", "meeting__host", "instance", "user")
                   .filter(key=key, meeting_id=meeting_id).first())
    if participant is None:
        raise JoinError(403, _("This join ticket is not valid."))
    return participant


def role_for(meeting: Meeting, user, start_token: str = "") -> str:
    """The meeting role someone joins with: host (the meeting's host, or whoever holds its start
    URL or the host's ZAK), alternative host (a user of the account named in alternative_hosts), else attendee."""
    if start_token and read_start_token(meeting, start_token):
        return Participant.Role.HOST
    # A ZAK (GET /v2/users/{userId}/token?type=zak, sent as `zak=` in the link) stands for its user.
    for person in (user, zak.read(start_token) if start_token else None):
        if person is None or not person.is_authenticated:
            continue
        if person.pk == meeting.host_id:
            return Participant.Role.HOST
        alternatives = {email.lower() for email in meeting.alternative_host_emails()}
        if person.account_id == meeting.account_id and person.email.lower() in alternatives:
            return Participant.Role.ALTERNATIVE_HOST
    return Participant.Role.ATTENDEE


def authentication_problem(meeting: Meeting, user) -> str:
    if not meeting.setting("meeting_authentication"):
        return ""
    if user is None or not user.is_authenticated:
        return _("Only signed-in users can join this meeting. Sign in and try again.")
    domains = [d for d in meeting.setting("authentication_domains").split(",") if d]
    if domains and user.email.rsplit("@", 1)[-1].lower() not in domains:
        return _("Only users from allowed email domains can join this meeting.")
    if domains and not getattr(user, "email_verified", True):
        return _("Verify your email address (open the link we sent you) to join this meeting.")
    return ""


def registration_problem(meeting: Meeting, registrant: Registrant | None) -> str:
    """Why this person may not join a meeting that requires registration, or "" when they may:
    an approved registration, for the current occurrence when they chose occurrences."""
    if registrant is None:
        return _("This meeting requires registration. Register first, then join with the link you receive.")
    if registrant.status == Registrant.Status.PENDING:
        return _("Your registration is waiting for the host's approval.")
    if registrant.status != Registrant.Status.APPROVED:
        return _("Your registration was not approved or was cancelled.")
    occurrence = meeting.current_occurrence()
    if registrant.occurrence_ids and occurrence is not None and occurrence.occurrence_id not in registrant.occurrence_ids:
        return _("You registered for another occurrence of this meeting.")
    return ""


def host_may_be_absent(meeting: Meeting, now) -> bool:
    """join_before_host with jbh_time: 0 = any time, 5 or 10 = that many minutes before the start."""
    if not meeting.setting("join_before_host"):
        return False
    minutes = meeting.setting("jbh_time") or 0
    start = next_start(meeting, now)
    if minutes == 0 or start is None:
        return True
    return now >= start - timedelta(minutes=minutes)


def mutes_upon_entry(participant: Participant) -> bool:
    """mute_upon_entry applies to everyone but hosts (phones too: they unmute with *6, `meetings.sip`)."""
    return bool(participant.meeting.setting("mute_upon_entry")) and not participant.is_host


# --- the wrong-passcode limiter: passcodes are short, so a client that keeps guessing is stopped ---


def _attempts_key(meeting_id: int, client: str) -> str:
    return f"meetings:wrong-passcode:{meeting_id}:{client}"


def passcode_attempts_exhausted(meeting_id: int, client: str) -> bool:
    """Whether `client` (an address) guessed wrong JOIN_PASSCODE_ATTEMPTS times in the last 15 minutes.
    An unknown client ("") is not limited."""
    return bool(client) and (cache.get(_attempts_key(meeting_id, client)) or 0) >= settings.JOIN_PASSCODE_ATTEMPTS


def record_wrong_passcode(meeting_id: int, client: str) -> None:
    keys = [_attempts_key(meeting_id, "*")] + ([_attempts_key(meeting_id, client)] if client else [])
    for key in keys:
        cache.add(key, 0, timeout=15 * 60)
        cache.incr(key)
    cache.set(_attempts_key(meeting_id, "last"), time.time(), timeout=15 * 60)


def check_passcode_attempts(meeting_id: int, client: str) -> None:
    """The browser's check, for typed passcodes only: hosts, alternative hosts, invite links and join
    links (pwd) never reach it, so nobody can lock them out.

    Per client address: JOIN_PASSCODE_ATTEMPTS wrong guesses in 15 minutes. Per meeting (any
    address): after JOIN_PASSCODE_FREE_FAILURES wrong guesses, each further guess waits twice as long
    as the one before (1 s, 2 s, 4 s ... 15 min) after the last wrong one."""
    if passcode_attempts_exhausted(meeting_id, client):
        raise JoinError(429, _("Too many wrong passcodes. Wait a few minutes and try again."), retry_after=15 * 60)
    extra = (cache.get(_attempts_key(meeting_id, "*")) or 0) - settings.JOIN_PASSCODE_FREE_FAILURES
    if extra >= 0:
        wait = min(2 ** extra, 15 * 60)
        elapsed = time.time() - (cache.get(_attempts_key(meeting_id, "last")) or 0)
        if elapsed < wait:
            raise JoinError(429, _("Too many wrong passcodes for this meeting. Wait a moment and try again."),
                            retry_after=max(1, math.ceil(wait - elapsed)))


# --- admitting and leaving ------------------------------------------------------------------------


def admit_participant(participant: Participant, instance: Instance, *, muted: bool,
                      work: AdmissionWork | None = None) -> None:
    """Admits the participant to the instance (the rows only: `connect` adds them to the conference
    once the transaction has committed). `work` collects who needs connecting."""
    participant.instance = instance
    participant.status = Participant.Status.IN_MEETING
    participant.joined_at = timezone.now()
    participant.muted = muted
    participant.save()
    webhooks.emit(instance.meeting.account, "meeting.participant_joined", participant_event_object(instance, participant))
    if work is not None:
        work.admitted.append(participant)


def connect(participant: Participant, *, undo_to: str | None) -> None:
    """Adds an admitted participant to the instance's conference (no transaction open). If the
    engine refuses, the admission is undone (back to `undo_to`, or the row goes when it is a fresh
    join) and JoinError(503) is raised."""
    instance = participant.instance
    assert instance is not None  # an admitted participant belongs to the live instance
    try:
        media_id, token = media.add_participant(instance.conference_id, participant.name, participant.role)
    except media.MediaError as exc:
        with transaction.atomic():
            if undo_to is None:
                participant.delete()
                if not instance.participants.filter(status=Participant.Status.IN_MEETING).exists():
                    end_instance(instance)
            else:
                Participant.objects.filter(pk=participant.pk).update(status=undo_to, joined_at=None)
        raise JoinError(503, _("The media engine could not add you to the meeting: %(reason)s") % {"reason": exc}) from exc
    participant.media_participant_id, participant.media_token = media_id, token
    Participant.objects.filter(pk=participant.pk).update(media_participant_id=media_id, media_token=token)


@dataclasses.dataclass
class AdmissionWork:
    """What a locked admission decided that needs the engine afterwards."""

    conference_id: str = ""  # made before the lock for an instance the decision may start
    started: Instance | None = None
    admitted: list = dataclasses.field(default_factory=list)


class ConferenceNeeded(Exception):
    """Raised under the lock when the meeting must start and no conference was made yet."""

    def __init__(self, meeting: Meeting):
        super().__init__(meeting.pk)
        self.meeting = meeting


def start_with_conference(meeting: Meeting, work: AdmissionWork) -> Instance:
    """Starts the meeting's instance in the conference made before the lock (or asks for one)."""
    if not work.conference_id:
        raise ConferenceNeeded(meeting)
    occurrence = meeting.current_occurrence()
    work.started = start_instance(meeting, conference_id=work.conference_id,
                                  occurrence_id=occurrence.occurrence_id if occurrence else None)
    return work.started


def run_admission(locked):
    """Runs `locked(work)` in a transaction (it takes the meeting's row lock and decides), with the
    engine kept out of it: if the decision must start the meeting, the transaction is rolled back,
    the conference is created, and the decision is made again. Returns (result, work); the caller
    then `connect`s `work.admitted`."""
    work = AdmissionWork()
    try:
        for _attempt in range(3):  # another join may start or end the meeting meanwhile
            work.started, work.admitted = None, []
            try:
                with transaction.atomic():
                    result = locked(work)
                break
            except ConferenceNeeded as need:
                work.conference_id = create_conference(need.meeting)
        else:
            raise JoinError(503, _("The meeting could not be started. Try again."))
    except BaseException:
        discard_conference(work.conference_id)
        raise
    if work.started is None:
        discard_conference(work.conference_id)  # made for a start that another join did first
    else:
        start_auto_recording(work.started)
    return result, work


def to_waiting_room(participant: Participant, instance: Instance) -> None:
    participant.instance = instance
    participant.status = Participant.Status.WAITING_ROOM
    participant.save()
    webhooks.emit(instance.meeting.account, "meeting.participant_joined_waiting_room",
                  participant_event_object(instance, participant))


def _host_arrived(instance: Instance, work: AdmissionWork) -> None:
    """The first host is in: everyone waiting for the host goes on (to the waiting room if it is on)."""
    meeting = instance.meeting
    instance.host_joined_at = timezone.now()
    instance.save(update_fields=["host_joined_at"])
    waiting = Participant.objects.select_related("meeting").filter(meeting=meeting, status=Participant.Status.WAITING_FOR_HOST)
    for participant in waiting:
        if meeting.setting("waiting_room"):
            to_waiting_room(participant, instance)
        else:
            admit_participant(participant, instance, muted=mutes_upon_entry(participant), work=work)


def join(meeting_id: int, *, user=None, name: str = "", passcode: str = "", pwd: str = "",
         invite_token: str = "", start_token: str = "", client: str = "") -> JoinAnswer:
    Meeting.objects.for_room(meeting_id)  # a personal meeting room comes into being at its first join
    answer, work = run_admission(lambda work: _join_locked(
        work, meeting_id, user=user, name=name, passcode=passcode, pwd=pwd, invite_token=invite_token,
        start_token=start_token, client=client))
    for participant in work.admitted:
        if participant is answer.participant:
            connect(participant, undo_to=None)
        else:  # people who waited for the host: they keep waiting if the engine refuses them
            try:
                connect(participant, undo_to=Participant.Status.WAITING_FOR_HOST)
            except JoinError as exc:
                logger.warning("could not admit %s after the host arrived: %s", participant.key, exc.message)
    return answer


def _join_locked(work: AdmissionWork, meeting_id: int, *, user, name: str, passcode: str, pwd: str,
                 invite_token: str, start_token: str, client: str) -> JoinAnswer:
    meeting = (Meeting.objects.alive().select_for_update().select_related("host")
               .filter(pk=meeting_id).first())  # a personal room was made by `join` before the lock
    if meeting is None:
        raise JoinError(404, _("This meeting does not exist or has been deleted. Check the meeting ID."))
    user = user if user is not None and user.is_authenticated else None
    role = role_for(meeting, user, start_token)
    is_host = role != Participant.Role.ATTENDEE

    invite = None
    registrant = read_registrant_token(meeting, invite_token) if invite_token and not is_host else None
    if invite_token and not is_host and registrant is None:
        invite = read_invite_token(meeting, invite_token)
        if invite is None:
            return JoinAnswer("denied", reason="invite_invalid",
                              message=_("This invite link has expired or is not valid. Ask the host for a new one."))
    if not is_host and invite is None and meeting.requires_registration:
        if registrant is None and user is not None:  # a signed-in registrant needs no link
            registrant = meeting.registrants.filter(email__iexact=user.email,
                                                    status=Registrant.Status.APPROVED).first()
        problem = registration_problem(meeting, registrant)
        if problem:
            return JoinAnswer("denied", reason="registration_required", message=problem,
                              registration_url=registration_url(meeting))
    elif not meeting.requires_registration:
        registrant = None  # a registration of a meeting that no longer requires one is just a link
    registered_name = f"{registrant.first_name} {registrant.last_name}".strip() if registrant else ""
    name = (invite["n"] if invite else (name or "").strip() or registered_name) or (user.get_full_name() if user else "")
    if not name or len(name) > MAX_NAME or "\x00" in name:
        raise JoinError(400, _("Enter your name (1 to %(max)s characters).") % {"max": MAX_NAME})

    if not is_host:
        problem = authentication_problem(meeting, user)
        if problem:
            return JoinAnswer("denied", reason="authentication_required", message=problem)
        if invite is None and registrant is None and meeting.password and passcode:
            check_passcode_attempts(meeting.pk, client)  # a typed passcode is a guess (pwd tokens are not)
        if invite is None and registrant is None and not passcode_matches(meeting, passcode, pwd):
            wrong = bool(passcode or pwd)
            if passcode:
                record_wrong_passcode(meeting.pk, client)  # in Redis, whatever becomes of this transaction
            return JoinAnswer("passcode_required", reason="wrong_passcode" if wrong else "",
                              message=_("Wrong passcode. Try again.") if wrong else _("Enter the meeting passcode."))

    participant = Participant(meeting=meeting, user=user, name=name, role=role, registrant=registrant,
                              email=user.email if user else (registrant.email if registrant else ""))
    now = timezone.now()
    live = meeting.live_instance()
    if (not is_host and user is not None and live is not None
            and live.participants.filter(user=user, removed=True).exists()):
        return JoinAnswer("denied", reason="removed", message=_("The host removed you from this meeting."))
    if is_host:
        if live is None:
            live = start_with_conference(meeting, work)
        admit_participant(participant, live, muted=False, work=work)
        if live.host_joined_at is None:
            _host_arrived(live, work)
        return JoinAnswer("admitted", participant, _("You are in the meeting."))

    host_here = live is not None and live.host_joined_at is not None
    if not host_here and not host_may_be_absent(meeting, now):
        participant.instance = live
        participant.status = Participant.Status.WAITING_FOR_HOST
        participant.save()
        return JoinAnswer("waiting_for_host", participant, _("Waiting for the host to start this meeting."))
    if live is None:
        live = start_with_conference(meeting, work)
    if meeting.setting("waiting_room"):
        to_waiting_room(participant, live)
        return JoinAnswer("waiting_room", participant, _("Please wait, the host will let you in soon."))
    admit_participant(participant, live, muted=mutes_upon_entry(participant), work=work)
    return JoinAnswer("admitted", participant, _("You are in the meeting."))


# Marked with gettext_noop and translated where they are answered (status()): the request's language.
STATE_FOR: dict[str, tuple[str, str]] = {
    Participant.Status.WAITING_FOR_HOST: ("waiting_for_host", gettext_noop("Waiting for the host to start this meeting.")),
    Participant.Status.WAITING_ROOM: ("waiting_room", gettext_noop("Please wait, the host will let you in soon.")),
    Participant.Status.IN_MEETING: ("admitted", gettext_noop("You are in the meeting.")),
    Participant.Status.LEFT: ("ended", gettext_noop("You have left the meeting, or it has ended.")),
    Participant.Status.DENIED: ("denied", gettext_noop("The host did not let you in.")),
}


REMOVED = ("removed", gettext_noop("The host removed you from the meeting."))


def status(meeting_id: int, ticket: str) -> JoinAnswer:
    """What a waiting joiner polls: their current state (with media details once admitted)."""
    participant = participant_for_ticket(meeting_id, ticket)
    state, message = REMOVED if participant.removed else STATE_FOR[participant.status]
    return JoinAnswer(state, participant, _(message), reason="host_denied" if state == "denied" else "")


@transaction.atomic
def leave(meeting_id: int, ticket: str) -> JoinAnswer:
    participant = participant_for_ticket(meeting_id, ticket)
    if participant.status in (Participant.Status.LEFT, Participant.Status.DENIED):
        return status(meeting_id, ticket)
    depart(participant)
    return JoinAnswer("ended", participant, _("You have left the meeting."))


def depart(participant: Participant) -> None:
    """The participant has left (Leave, hung up, or gone from the media): out of the conference, and
    the last one out ends the meeting. Call it inside a transaction."""
    participant.status = Participant.Status.LEFT
    participant.left_at = timezone.now()
    participant.save(update_fields=["status", "left_at"])
    instance = participant.instance
    if instance is None or not instance.is_live:
        return
    webhooks.emit(instance.meeting.account, "meeting.participant_left", participant_event_object(instance, participant))
    conference_id, media_participant_id = participant.media_conference_id, participant.media_participant_id
    transaction.on_commit(lambda: _remove_quietly(conference_id, media_participant_id))
    if not instance.participants.filter(status=Participant.Status.IN_MEETING).exists():
        end_instance(instance)


def _remove_quietly(conference_id: str, media_participant_id: str) -> None:
    try:
        media.remove_participant(conference_id, media_participant_id)
    except media.MediaError:
        pass  # the conference forgets them when it ends


@transaction.atomic
def gone_from_media(media_participant_id: str) -> None:
    """The participant's media session ended without a Leave (tab closed, network lost for longer
    than the engine's grace period): like Zoom, they have left the meeting."""
    participant = (Participant.objects.select_for_update(of=("self",)).select_related("instance")
                   .filter(media_participant_id=media_participant_id, status=Participant.Status.IN_MEETING)
                   .first())
    if participant is not None:
        depart(participant)


@transaction.atomic
def sharing_changed(media_participant_id: str, sharing: bool) -> None:
    """The participant started or stopped sharing their screen (the engine's secondary video)."""
    participant = (Participant.objects.select_related("instance__meeting__account", "instance__meeting__host", "user")
                   .filter(media_participant_id=media_participant_id, status=Participant.Status.IN_MEETING).first())
    if participant is None or participant.instance is None:
        return
    event = participant_event_object(participant.instance, participant)
    event["participant"]["sharing_details"] = {"content": "desktop", "date_time": event["participant"].get("date_time")}
    webhooks.emit(participant.instance.meeting.account,
                  "meeting.sharing_started" if sharing else "meeting.sharing_ended", event)


# --- the waiting room, as hosts run it ---------------------------------------------------------


def waiting_list(meeting: Meeting) -> list[dict]:
    waiting = meeting.participants.filter(status__in=[Participant.Status.WAITING_ROOM,
                                                      Participant.Status.WAITING_FOR_HOST]).order_by("created_at")
    return [{"participant_id": p.key, "name": p.name, "state": STATE_FOR[p.status][0],
             "since": p.created_at.isoformat()} for p in waiting]


def admit_waiting(meeting: Meeting, participant_key: str) -> Participant:
    """A host lets someone in from the waiting room (browser or phone)."""
    with transaction.atomic():
        participant = (meeting.participants.select_for_update().select_related("meeting")
                       .filter(key=participant_key).first())
        if participant is None or participant.status != Participant.Status.WAITING_ROOM:
            raise JoinError(404, _("Nobody with that id is in the waiting room."))
        live = meeting.live_instance()
        if live is None:
            raise JoinError(409, _("The meeting is not in progress."))
        webhooks.emit(meeting.account, "meeting.participant_admitted", participant_event_object(live, participant))
        admit_participant(participant, live, muted=mutes_upon_entry(participant))
    connect(participant, undo_to=Participant.Status.WAITING_ROOM)
    pushes.admitted(participant)  # once the engine has them: an undone admission tells nobody
    return participant


@transaction.atomic
def deny_waiting(meeting: Meeting, participant_key: str) -> Participant:
    participant = meeting.participants.select_for_update().filter(key=participant_key).first()
    if participant is None or participant.status not in (Participant.Status.WAITING_ROOM,
                                                         Participant.Status.WAITING_FOR_HOST):
        raise JoinError(404, _("Nobody with that id is waiting."))
    participant.status = Participant.Status.DENIED
    participant.left_at = timezone.now()
    participant.save(update_fields=["status", "left_at"])
    return participant
