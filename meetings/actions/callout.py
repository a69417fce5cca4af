"""Calling out of a live meeting to a phone or a SIP address (Zoom's "invite by phone" and room
system call-out: `participant.invite.callout` / `participant.invite.room_system_callout`), and the
engine's SIP_DIAL_OUT_POLICY for calls placed with the application token.

Calling out is an account permission with an allow-list (`accounts.sip_dial_out`): refused → 400,
Zoom code 300 ("No permission: ..."), before anything is created. The callee becomes a meeting
participant ("Phone: name", attendee) in the conference; the call is placed by the `place_callout` task below (a call rings for
up to 30 s: not in a request), which ends the participant if nobody answers. (The task lives here,
registered by `MeetingsConfig.ready`.)

Every dial-out the engine places goes through `engine_policy` too (the engine asks it, whoever holds
the application token): a meeting's conference obeys its meeting's account, any other conference (a
Video SDK session) the account named by VIDEOSDK_ACCOUNT; none → refused.
"""

from __future__ import annotations

import logging
import re

from celery import shared_task
from django.conf import settings
from django.db import transaction

from accounts import sip_dial_out
from accounts.models import Account
from config.errors import ConferError
from meetings import media
from meetings.actions.admission import admit_participant, connect, depart
from meetings.encryption import refuse_if_encrypted, unavailable_message
from meetings.models import Instance, Meeting, Participant

logger = logging.getLogger(__name__)

CALL_TIMEOUT_SECONDS = 30
MAX_NAME = 64


def callee_uri(destination: str) -> str:
    """The SIP URI to call: a SIP URI as given, a phone number through SIP_CALLOUT_GATEWAY."""
    if destination.strip().lower().startswith(("sip:", "sips:")) or "<" in destination:
        return destination.strip()
    gateway = settings.SIP_CALLOUT_GATEWAY.strip()
    if not sip_dial_out.gateway_host():
        raise ConferError("Calling phone numbers is not set up on this server (no SIP gateway): "
                          "call a SIP address instead.", status=400, code=300)
    if gateway.lower().startswith("sip:"):
        gateway = gateway[4:]
    return f"sip:{sip_dial_out.normalise_number(destination)}@{gateway}"


def call_out(meeting: Meeting, destination: str, name: str = "") -> Participant:
    """Calls `destination` (phone number or SIP URI) into the meeting's live instance; returns the
    callee's participant. Refused (DialOutRefused, 400) unless the meeting's account may call there,
    and in an end-to-end encrypted meeting (a phone cannot take part in the browsers' encryption)."""
    refuse_if_encrypted(meeting, "sip")
    sip_dial_out.check(meeting.account, destination)
    callee = callee_uri(destination)
    sip_dial_out.check(meeting.account, callee)  # the gateway form of a number, too
    who = "".join(ch for ch in (name or destination) if ch.isprintable()).strip() or "unknown"
    with transaction.atomic():
        live = (Instance.objects.select_for_update().filter(meeting=meeting, ended_at__isnull=True)
                .exclude(conference_id="").first())
        if live is None:
            raise ConferError("The meeting is not in progress (or has no media engine).", status=400, code=3000)
        participant = Participant(meeting=meeting, instance=live, role=Participant.Role.ATTENDEE,
                                  name=f"Phone: {who}"[:MAX_NAME])
        admit_participant(participant, live, muted=False)
    connect(participant, undo_to=None)  # the engine participant the call will be bridged to
    transaction.on_commit(lambda: place_callout.delay(participant.pk, callee))
    return participant


@shared_task(acks_late=False, max_retries=0)
def place_callout(participant_pk: int, callee: str) -> str:
    """At most once, never retried: a call placed twice rings the callee twice."""
    return place(participant_pk, callee)


def place(participant_pk: int, callee: str) -> str:
    """Places the call for the callee's participant (the task's body); returns the SIP status
    ("answered", "busy", "timeout", ...) or "skipped". Unanswered → the participant leaves."""
    participant = (Participant.objects.select_related("meeting__account", "instance")
                   .filter(pk=participant_pk, status=Participant.Status.IN_MEETING).first())
    if (participant is None or not participant.media_participant_id or participant.instance is None
            or not participant.instance.conference_id):
        return "skipped"
    try:
        sip_dial_out.check(participant.meeting.account, callee)  # the setting may have changed since
        # The caller ID shows the topic; quotes and angle brackets would break the SIP address.
        display = re.sub(r"[^\w .,-]+", "", participant.meeting.topic)[:60].strip() or "Meeting"
        caller = f"{display} <sip:{participant.meeting_id}@{settings.SIP_DOMAIN}>"
        status = media.sip_dial_out(participant.instance.conference_id, participant.media_participant_id,
                                    caller=caller, callee=callee, timeout=CALL_TIMEOUT_SECONDS)
    except (ConferError, media.MediaError) as exc:
        logger.warning("call-out of participant %s refused or failed: %s", participant_pk, exc)
        status = "error"
    if status != "answered":
        with transaction.atomic():
            row = Participant.objects.select_for_update(of=("self",)).select_related("instance").get(pk=participant_pk)
            if row.status == Participant.Status.IN_MEETING:
                depart(row)
    return status


def engine_policy(conference_id, destinations: list[str]) -> str | None:
    """SIP_DIAL_OUT_POLICY: None when the conference's account may call every destination, else why not."""
    instance = Instance.objects.select_related("meeting__account").filter(conference_id=str(conference_id)).first()
    if instance is not None:
        if instance.meeting.end_to_end_encrypted:
            return unavailable_message("sip")
        account: Account | None = instance.meeting.account
    else:
        public_id = getattr(settings, "VIDEOSDK_ACCOUNT", "")
        account = Account.objects.filter(public_id=public_id).first() if public_id else None
    for destination in destinations:
        try:
            sip_dial_out.check(account, destination)
        except sip_dial_out.DialOutRefused as refused:
            return refused.message
    return None
