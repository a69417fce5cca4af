"""SIP dial-in for meetings: who may call in, and what a caller becomes (docs/meetings.md).

The media engine's SIP front end calls `answer_call` (setting SIP_DIAL_IN_HANDLER) for every
INVITE, in a worker thread of the web process; see `mind.engine.sip_dial_in` for the contract.

What is dialled: the URI from POST /v2/meetings/{id}/sip_dialing,
`sip:<meeting id>@<SIP_DOMAIN>[:<SIP_PORT>];pwd=<passcode>;pic=<signed code>` (taken from the
Request-URI, or from the To header when only that one carries the parameters), or
`sip:<meeting id>.<passcode>@<SIP_DOMAIN>` for a meeting that has a passcode (Zoom's
room-connector style: the passcode is the secret, so a meeting without one needs the signed code).

Answers: unknown (or deleted) meeting → 404; an end-to-end encrypted meeting → 488 (after the
passcode check: a phone cannot take part in the browsers' encryption, `meetings.encryption`); a forged, expired or other meeting's code, a wrong
passcode, too many wrong passcodes from one address, or a meeting that requires signed-in users
→ 403; not started and the host absent (join_before_host off) → 480; the media engine failing →
503. Otherwise the caller joins the live instance (starting it when join_before_host allows) as
an attendee (Mind role speaker) named "Phone: <display name or number>". With the waiting room
on, the call keeps ringing while the caller waits in the waiting room: admitted → answered,
denied → 603, nobody decides within SIP_DIAL_IN_WAIT_SECONDS → 480. mute_upon_entry applies:
the caller joins muted and unmutes with `*6` on the keypad (mind.engine.sip_keypad).

Keypad dial-in: a call that carries neither a signed code nor a passcode (`sip:<anything>@domain`,
a dial-in number a SIP trunk routes here) gets a `KeypadEntry`: the engine answers it and asks for
the meeting ID and passcode (`check_keypad`: the same rules as above; an unknown meeting or a
wrong passcode lets the caller try again, 3 tries per call). Guessing is limited per source
address: JOIN_PASSCODE_ATTEMPTS wrong entries in 15 minutes, then calls from there are refused
(403) before they are answered; wrong passcodes also count against the meeting as a browser's do.

When the call ends (either side hangs up, the meeting ends) `call_ended` marks the participant
left and, like a browser leaving, ends the meeting if nobody else is in it.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from config.errors import ConferError
from meetings.actions.admission import (
    MAX_NAME,
    admit_participant,
    connect,
    depart,
    host_may_be_absent,
    mutes_upon_entry,
    passcode_attempts_exhausted,
    record_wrong_passcode,
    run_admission,
    start_with_conference,
)
from meetings.actions.links import passcode_matches, read_sip_code
from meetings.actions.lookups import MAX_MEETING_ID
from meetings.errors import JoinError
from meetings.models import Meeting, Participant
from mind.engine.sip_dial_in import Admission, CallRejected, KeypadEntry, WrongEntry

logger = logging.getLogger(__name__)

WAIT_POLL_SECONDS = 0.5
KEYPAD_TRIES = 3  # meeting ID + passcode entries per call
KEYPAD_WINDOW_SECONDS = 15 * 60
_URI = re.compile(r"^sips?:(?P<user>[^@;?]+)@(?P<host>[^;?]+)(?P<params>(?:;[^;?]*)*)(?:\?.*)?$", re.IGNORECASE)
_USER = re.compile(r"^(?P<meeting>\d{1,19})(?:\.(?P<passcode>.+))?$")


class Refused(ConferError):
    """The call is not let in: SIP `status` and `reason` (the reason phrase)."""

    def __init__(self, status: int, reason: str):
        super().__init__(f"{status} {reason}", status=status)
        self.reason = reason


class WrongDigits(Refused):
    """Keypad entry: no such meeting, or the wrong passcode (the caller may try again)."""


# --- the dialled URI ------------------------------------------------------------------------------


def _parts(uri: str) -> tuple[str, dict[str, str]] | None:
    match = _URI.match((uri or "").strip())
    if not match:
        return None
    params = {}
    for part in match["params"].split(";"):
        name, _, value = part.partition("=")
        if name:
            params[name.strip().lower()] = unquote(value.strip())
    return unquote(match["user"]), params


def _dialled(*uris: str) -> tuple[str, dict[str, str]]:
    """(user part, parameters) of the first URI that carries a code or a passcode."""
    parsed = [p for p in (_parts(uri) for uri in uris) if p is not None]
    if not parsed:
        raise Refused(404, "Not Found")
    for user, params in parsed:
        if "pic" in params or "." in user:
            return user, params
    return parsed[0]


def check_uri(*uris: str, source: str = "", lock: bool = False) -> Meeting:
    """The meeting the dialled URI admits to; raises Refused (404 unknown meeting, 403 otherwise)."""
    user, params = _dialled(*uris)
    match = _USER.match(user)
    if not match or int(match["meeting"]) > MAX_MEETING_ID:
        raise Refused(404, "Not Found")
    meeting_id = int(match["meeting"])
    meetings = Meeting.objects.alive()
    meeting = (meetings.select_for_update() if lock else meetings).filter(pk=meeting_id).first()
    if meeting is None:
        raise Refused(404, "Not Found")
    if passcode_attempts_exhausted(meeting_id, source):
        raise Refused(403, "Forbidden")
    if meeting.requires_registration:  # a phone cannot show a registration
        raise Refused(403, "Forbidden")
    if "pic" in params:
        if not read_sip_code(params["pic"], meeting_id):
            raise Refused(403, "Forbidden")
        passcode = params.get("pwd", "") or (match["passcode"] or "")
    elif match["passcode"] and meeting.password:
        passcode = match["passcode"]
    else:  # neither a signed code nor a secret: anyone could dial meeting numbers
        raise Refused(403, "Forbidden")
    if not passcode_matches(meeting, passcode):
        record_wrong_passcode(meeting_id, source)
        raise Refused(403, "Forbidden")
    if meeting.end_to_end_encrypted:  # a phone cannot take part in the browsers' encryption
        raise Refused(488, "Not Acceptable Here (end-to-end encrypted meeting)")
    return meeting


def carries_code(*uris: str) -> bool:
    """Whether the dialled URI names a meeting with a signed code or a passcode (else: the keypad)."""
    return any(p is not None and ("pic" in p[1] or "." in p[0]) for p in (_parts(uri) for uri in uris))


def check_keypad(meeting_digits: str, passcode: str, *, source: str = "", lock: bool = False) -> Meeting:
    """The meeting a keypad caller's entry admits to; raises WrongDigits (try again) or Refused."""
    if not meeting_digits.isdigit() or len(meeting_digits) > 19 or int(meeting_digits) > MAX_MEETING_ID:
        raise WrongDigits(404, "Not Found")
    meeting_id = int(meeting_digits)
    meetings = Meeting.objects.alive()
    meeting = (meetings.select_for_update() if lock else meetings).filter(pk=meeting_id).first()
    if meeting is None:
        raise WrongDigits(404, "Not Found")
    if passcode_attempts_exhausted(meeting_id, source):
        raise Refused(403, "Forbidden")
    if meeting.requires_registration:  # a phone cannot show a registration
        raise Refused(403, "Forbidden")
    if not passcode_matches(meeting, passcode):
        record_wrong_passcode(meeting_id, source)
        raise WrongDigits(403, "Forbidden")
    if meeting.end_to_end_encrypted:  # a phone cannot take part in the browsers' encryption
        raise Refused(488, "Not Acceptable Here (end-to-end encrypted meeting)")
    return meeting


def _keypad_key(source: str) -> str:
    return f"meetings:sip-keypad-guesses:{source}"


def keypad_guesses_exhausted(source: str) -> bool:
    return bool(source) and (cache.get(_keypad_key(source)) or 0) >= settings.JOIN_PASSCODE_ATTEMPTS


def record_keypad_guess(source: str) -> None:
    if source:
        cache.add(_keypad_key(source), 0, timeout=KEYPAD_WINDOW_SECONDS)
        cache.incr(_keypad_key(source))


def verify_uri(uri: str) -> Meeting | None:
    """The meeting a SIP URI from `sip_dialing` admits to, or None (unknown, expired, forged, wrong passcode)."""
    try:
        return check_uri(uri)
    except Refused:
        return None


# --- the engine's handler ---------------------------------------------------------------------------


def answer_call(call):
    """SIP_DIAL_IN_HANDLER: an `Admission` for the caller, a `KeypadEntry` (no code dialled), or `CallRejected`."""
    if not carries_code(call.request_uri, call.to_uri):
        if keypad_guesses_exhausted(call.source):
            raise CallRejected(403, "Forbidden")
        return KeypadEntry(check=functools.partial(_keypad_entered, call), cancelled=call.cancelled, tries=KEYPAD_TRIES)
    check = functools.partial(check_uri, call.request_uri, call.to_uri, source=call.source, lock=True)
    try:
        return _admitted(call, check)
    except Refused as exc:
        raise CallRejected(exc.status, exc.reason) from None


def _keypad_entered(call, meeting_digits: str, passcode: str) -> Admission:
    """KeypadEntry.check: the caller typed a meeting ID and a passcode."""
    if keypad_guesses_exhausted(call.source):
        raise CallRejected(403, "Forbidden")
    check = functools.partial(check_keypad, meeting_digits, passcode, source=call.source, lock=True)
    try:
        return _admitted(call, check)
    except WrongDigits:
        record_keypad_guess(call.source)
        raise WrongEntry from None
    except Refused as exc:
        raise CallRejected(exc.status, exc.reason) from None


def _admitted(call, check) -> Admission:
    participant = _join(call, check)
    if participant.status == Participant.Status.WAITING_ROOM:
        participant = _wait_for_the_host(participant, call.cancelled)
    logger.info("phone %s joined meeting %s as %s", call.caller_uri, participant.meeting_id, participant.key)
    assert participant.instance is not None  # _join admits to the live instance (or waits for it)
    return Admission(conference_id=participant.instance.conference_id,
                     participant_id=participant.media_participant_id,
                     ended=functools.partial(call_ended, participant.pk), muted=participant.muted)


def caller_name(display_name: str, caller_uri: str) -> str:
    parts = _parts(caller_uri)
    who = (display_name or "").strip() or (parts[0] if parts else "") or "unknown"
    who = "".join(ch for ch in who if ch.isprintable())
    return f"Phone: {who}"[:MAX_NAME]


def _join(call, check) -> Participant:
    """The caller's participant: admitted and in the conference, or in the waiting room."""
    try:
        participant, work = run_admission(lambda work: _join_locked(call, check, work))
    except ConferError as exc:
        if isinstance(exc, Refused):
            raise
        raise Refused(503, "Service Unavailable") from None  # the engine could not start the conference
    if participant.status == Participant.Status.IN_MEETING:
        try:
            connect(participant, undo_to=None)
        except JoinError:  # the engine could not add the caller
            raise Refused(503, "Service Unavailable") from None
    return participant


def _join_locked(call, check, work) -> Participant:
    meeting = check()
    if meeting.setting("meeting_authentication"):  # a phone cannot sign in
        raise Refused(403, "Forbidden")
    now = timezone.now()
    live = meeting.live_instance()
    host_here = live is not None and live.host_joined_at is not None
    if not host_here and not host_may_be_absent(meeting, now):
        raise Refused(480, "Temporarily Unavailable")
    if live is None:
        live = start_with_conference(meeting, work)
    participant = Participant(meeting=meeting, instance=live, role=Participant.Role.ATTENDEE,
                              name=caller_name(call.caller_name, call.caller_uri))
    if meeting.setting("waiting_room"):
        participant.status = Participant.Status.WAITING_ROOM
        participant.save()
        return participant
    if not live.conference_id:  # no engine: a phone has nothing to be bridged to
        raise Refused(503, "Service Unavailable")
    admit_participant(participant, live, muted=mutes_upon_entry(participant))
    return participant


def _wait_for_the_host(participant: Participant, cancelled) -> Participant:
    """The caller is in the waiting room: the host admits (`admission.admit_waiting`) or denies them."""
    deadline = time.monotonic() + settings.SIP_DIAL_IN_WAIT_SECONDS
    while True:
        participant.refresh_from_db()
        if participant.status == Participant.Status.IN_MEETING and participant.media_participant_id:
            return participant
        if participant.status == Participant.Status.DENIED:
            raise Refused(603, "Decline")
        if participant.status == Participant.Status.LEFT:  # the meeting ended
            raise Refused(480, "Temporarily Unavailable")
        if cancelled.is_set() or time.monotonic() >= deadline:
            _leave_waiting_room(participant.pk)
            raise Refused(487 if cancelled.is_set() else 480,
                          "Request Terminated" if cancelled.is_set() else "Temporarily Unavailable")
        cancelled.wait(WAIT_POLL_SECONDS)


@transaction.atomic
def _leave_waiting_room(participant_pk: int) -> None:
    participant = Participant.objects.select_for_update().get(pk=participant_pk)
    if participant.status == Participant.Status.IN_MEETING:  # admitted just now: leave properly
        transaction.on_commit(lambda: call_ended(participant_pk))
    elif participant.status == Participant.Status.WAITING_ROOM:
        participant.status = Participant.Status.LEFT
        participant.left_at = timezone.now()
        participant.save(update_fields=["status", "left_at"])


@transaction.atomic
def call_ended(participant_pk: int) -> None:
    """The call is over, whatever ended it: the caller has left (and maybe the meeting ends)."""
    participant = (Participant.objects.select_for_update(of=("self",)).select_related("instance")
                   .filter(pk=participant_pk).first())
    if participant is None or participant.status in (Participant.Status.LEFT, Participant.Status.DENIED):
        return
    depart(participant)
