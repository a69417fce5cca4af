"""A meeting instance from start to end: starting and ending it, recording, livestreaming, muting
everyone, and inviting people by email while it runs.

No engine call runs while this app holds a database row lock (with a remote Mind it is network
I/O, and a rollback would leak what the engine made): the conference of a new instance is created
before the meeting's lock is taken (`create_conference`, see `admission.run_admission`), engine
calls of the controls happen before or after their short transactions, and the engine's part of an
end runs after commit and only logs failures: the meeting has ended anyway. Ending a meeting for
everyone (`end_meeting`, no lock held) stops a running recording first, like the recording
control (engine, then its own short transaction), so the end's hooks (summaries) read the closed
recording and transcript; an end from under a lock (the last one out, a deleted meeting) writes the
stopped state with the end and the engine stops the recording after commit (then the summary waits
for the engine's final transcript). Webhook events are queued in the same transaction and sent
after commit.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework import status

from config.api import CANNOT_ACCESS_MEETING, ZoomAPIError, invalid_parameter
from config.celery import app as celery_app
from meetings import media
from meetings.actions import pushes
from meetings.actions.links import join_url
from meetings.actions.mail import send_after_commit
from meetings.encryption import refuse_if_encrypted
from meetings.models import BreakoutRoom, Instance, Meeting, Participant
from meetings.representations import instance_event_object
from webhooks import events as webhooks

logger = logging.getLogger(__name__)
User = get_user_model()


def live_instance_or_error(meeting: Meeting) -> Instance:
    live = meeting.live_instance()
    if live is None:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           f"Meeting {meeting.pk} is not in progress.")
    return live


def create_conference(meeting: Meeting) -> str:
    """The engine conference for a new instance of `meeting` (call it outside any transaction)."""
    try:
        return media.create_conference(meeting.topic or f"Meeting {meeting.pk}")
    except media.MediaError as exc:
        raise ZoomAPIError(status.HTTP_503_SERVICE_UNAVAILABLE, CANNOT_ACCESS_MEETING,
                           f"The media engine could not start the meeting: {exc}") from exc


def discard_conference(conference_id: str) -> None:
    """Deletes a conference made for an instance that did not start (a race, or a rollback)."""
    if conference_id:
        _quietly(media.delete_conference, conference_id)


@transaction.atomic
def start_instance(meeting: Meeting, *, conference_id: str, occurrence_id: int | None = None) -> Instance:
    """Starts a new instance of `meeting` in the engine conference made for it (`create_conference`);
    the caller holds the meeting row lock. auto_recording starts with `start_auto_recording` once
    the lock is released."""
    instance = Instance.objects.create(meeting=meeting, uuid=meeting.next_instance_uuid, started_at=timezone.now(),
                                       occurrence_id=occurrence_id, conference_id=conference_id)
    meeting.next_instance_uuid = Meeting._meta.get_field("next_instance_uuid").default()
    meeting.save(update_fields=["next_instance_uuid"])
    webhooks.emit(meeting.account, "meeting.started", instance_event_object(instance))
    pushes.call_started(instance)
    return instance


def start_auto_recording(instance: Instance) -> None:
    """auto_recording=cloud: the new instance records from the start. A failing engine is logged:
    the meeting runs, and a host can start the recording by hand."""
    if instance.meeting.setting("auto_recording") != "cloud":
        return
    try:
        control_recording(instance, "recording.start")
    except ZoomAPIError as exc:
        logger.warning("auto recording of instance %s did not start: %s", instance.uuid, exc.message)


@transaction.atomic
def end_instance(instance: Instance) -> None:
    now = timezone.now()
    conference_id = instance.conference_id
    if instance.recording_state in (Instance.Recording.RECORDING, Instance.Recording.PAUSED):
        # Ended from under a lock: the state and the recording.stopped event now, the engine stops
        # after commit, before the conference is deleted (on_commit runs callbacks in order).
        transaction.on_commit(lambda: _quietly(media.stop_recording, conference_id))
        _record_transition(instance, "recording.stop")
    if instance.streaming_id:
        streaming_id, conference_id = instance.streaming_id, instance.conference_id
        transaction.on_commit(lambda: _quietly(media.stop_streaming, conference_id, streaming_id))
        instance.streaming_id = ""
    instance.ended_at = now
    instance.save(update_fields=["ended_at", "streaming_id", "recording_state"])
    were_in = list(instance.participants.filter(user__isnull=False).values_list("user_id", flat=True).distinct())
    instance.participants.filter(status=Participant.Status.IN_MEETING).update(status=Participant.Status.LEFT, left_at=now)
    Participant.objects.filter(meeting=instance.meeting, status__in=[
        Participant.Status.WAITING_ROOM, Participant.Status.WAITING_FOR_HOST,
    ]).update(status=Participant.Status.LEFT, left_at=now)
    if media.is_remote() and instance.recording_state != Instance.Recording.IDLE and conference_id:
        # A remote Mind deletes a recording with its conference: the recordings app deletes the
        # conference once it holds the files (recordings.remote), by task name (no import of it here).
        transaction.on_commit(lambda: celery_app.send_task("recordings.tasks.collect_recording", args=[conference_id]))
    else:
        transaction.on_commit(lambda: _quietly(media.delete_conference, conference_id))
    # Breakout rooms end with the meeting (they are never recorded: see meetings.actions.breakout).
    rooms = list(BreakoutRoom.objects.filter(session__instance=instance).exclude(conference_id="")
                 .values_list("conference_id", flat=True))
    transaction.on_commit(lambda: [_quietly(media.delete_conference, room) for room in rooms])
    event = instance_event_object(instance)
    event["end_time"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    webhooks.emit(instance.meeting.account, "meeting.ended", event)
    pushes.call_ended(instance, were_in)


def end_meeting(meeting: Meeting) -> None:
    """Ends the live instance for everyone (400 when the meeting is not in progress). Called with no
    transaction open: a running recording is stopped first (engine, then state, as the recording
    control does), so the end's hooks read the closed recording."""
    instance = live_instance_or_error(meeting)
    if instance.recording_state in (Instance.Recording.RECORDING, Instance.Recording.PAUSED):
        control_recording(instance, "recording.stop")
    end_instance(instance)


def _quietly(function, *args):
    """Clean-up in the media engine after commit: a failure is logged, the meeting has ended anyway."""
    try:
        function(*args)
    except media.MediaError:
        logger.exception("media clean-up %s failed", function.__name__)


RECORDING_TRANSITIONS = {
    # method: (states it may start from, state after, engine call, webhook event)
    "recording.start": ({"idle", "stopped"}, "recording", media.start_recording, "recording.started"),
    "recording.pause": ({"recording"}, "paused", media.stop_recording, "recording.paused"),
    "recording.resume": ({"paused"}, "recording", media.start_recording, "recording.resumed"),
    "recording.stop": ({"recording", "paused"}, "stopped", media.stop_recording, "recording.stopped"),
}


@transaction.atomic
def control_recording(instance: Instance, method: str) -> None:
    """Starts, pauses, resumes or stops the recording: the engine first, before this transaction
    writes (so it holds no row lock), then the state and the webhook event. The embedded engine's
    notifications go out when this transaction commits, so whoever hears them reads the new state."""
    allowed_from, after, engine_call, event = RECORDING_TRANSITIONS[method]
    if method in ("recording.start", "recording.resume"):
        refuse_if_encrypted(instance.meeting, "recording")
    if instance.recording_state not in allowed_from:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           f"Cannot {method.split('.')[1]} the recording: it is {instance.recording_state}.")
    try:
        engine_call(instance.conference_id)
    except media.MediaError as exc:
        raise ZoomAPIError(status.HTTP_503_SERVICE_UNAVAILABLE, CANNOT_ACCESS_MEETING,
                           f"The media engine could not change the recording: {exc}") from exc
    _record_transition(instance, method)


def _record_transition(instance: Instance, method: str) -> None:
    """The recording state after `method`, and its webhook event (no engine call)."""
    _, after, _, event = RECORDING_TRANSITIONS[method]
    now = timezone.now()
    instance.recording_state = after
    if method == "recording.start":
        instance.recording_started_at = now
    instance.save(update_fields=["recording_state", "recording_started_at"])
    payload = instance_event_object(instance)
    assert instance.recording_started_at is not None  # set by recording.start, the only way out of idle
    payload["recording_file"] = {"recording_start": instance.recording_started_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if method == "recording.stop":
        payload["recording_file"]["recording_end"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    webhooks.emit(instance.meeting.account, event, payload)


def control_transcription(instance: Instance, started: bool) -> bool:
    """Starts or stops live transcription without recording (the room's captions); the engine
    keeps the state. Returns whether it is on now."""
    if started:
        refuse_if_encrypted(instance.meeting, "transcription")
    try:
        return media.set_transcription(instance.conference_id, started)
    except media.MediaError as exc:
        raise ZoomAPIError(status.HTTP_503_SERVICE_UNAVAILABLE, CANNOT_ACCESS_MEETING,
                           f"The media engine could not change the transcription: {exc}") from exc


def mute_all(instance: Instance) -> int:
    """Everyone but hosts and co-hosts: muted, then their clients are told (after the update)."""
    with transaction.atomic():
        muted = [p for p in instance.participants.filter(status=Participant.Status.IN_MEETING, muted=False)
                 if not p.can_moderate]
        Participant.objects.filter(pk__in=[p.pk for p in muted]).update(muted=True)
    for participant in muted:
        try:
            media.mute_participant(participant.media_conference_id, participant.media_participant_id)
        except media.MediaError:
            logger.warning("could not ask participant %s to mute", participant.key)
    return len(muted)


def update_livestream(meeting: Meeting, data: dict) -> None:
    meeting.livestream = {**meeting.livestream, **data}
    meeting.save(update_fields=["livestream", "updated_at"])


def livestream_target(meeting: Meeting) -> str:
    stream = meeting.livestream
    if not stream.get("stream_url") or not stream.get("stream_key"):
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           "Configure the livestream (stream_url and stream_key) before starting it.")
    return f"{stream['stream_url'].rstrip('/')}/{quote(stream['stream_key'], safe='')}"


def check_livestream_capacity(meeting: Meeting) -> None:
    """At most LIVESTREAMS_PER_ACCOUNT meetings of one account stream at once (abuse limit)."""
    streaming = Instance.objects.filter(meeting__account_id=meeting.account_id, ended_at__isnull=True) \
        .exclude(streaming_id="").count()
    if streaming >= settings.LIVESTREAMS_PER_ACCOUNT:
        raise ZoomAPIError(429, 429, f"This account already streams {streaming} meetings at once, the most "
                                     "allowed; stop one first.")


@transaction.atomic
def set_livestream_status(meeting: Meeting, action: str, options: dict) -> None:
    """Starts or stops the livestream: the engine first, before this transaction writes (so it holds
    no row lock), then the rows."""
    instance = live_instance_or_error(meeting)
    if options:
        meeting.livestream = {**meeting.livestream, "settings": options}
    try:
        if action == "start":
            refuse_if_encrypted(meeting, "livestream")
            target = livestream_target(meeting)
            if instance.streaming_id:
                _save_livestream_settings(meeting, options)
                return  # already streaming: starting again changes nothing
            check_livestream_capacity(meeting)
            instance.streaming_id = media.start_streaming(instance.conference_id, target)
        else:
            if not instance.streaming_id:
                raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                                   f"Meeting {meeting.pk} is not being streamed.")
            media.stop_streaming(instance.conference_id, instance.streaming_id)
            instance.streaming_id = ""
    except media.MediaError as exc:
        if exc.status == 400:  # the engine refused the destination (e.g. an RTMP URL without a host)
            raise invalid_parameter(f"stream_url: the livestream destination is not usable: {exc}") from exc
        raise ZoomAPIError(status.HTTP_503_SERVICE_UNAVAILABLE, CANNOT_ACCESS_MEETING,
                           f"The media engine could not {action} the livestream: {exc}") from exc
    _save_livestream_settings(meeting, options)
    instance.save(update_fields=["streaming_id"])


def _save_livestream_settings(meeting: Meeting, options: dict) -> None:
    if options:
        meeting.save(update_fields=["livestream", "updated_at"])


def spend_invitation_budget(meeting: Meeting, count: int) -> None:
    """participant.invite sends e-mail on the account's behalf: INVITE_EMAILS_PER_HOUR per account."""
    hour = int(time.time() // 3600)
    key = f"meetings:invite-emails:{meeting.account_id}:{hour}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key, count) > settings.INVITE_EMAILS_PER_HOUR:
        cache.decr(key, count)
        raise ZoomAPIError(429, 429, f"This account may send {settings.INVITE_EMAILS_PER_HOUR} meeting invitations "
                                     "an hour; try again later.", retry_after=3600 - int(time.time()) % 3600)


def invite_by_email(meeting: Meeting, contacts: list[dict], invitee_name: str = "") -> int:
    """Emails a join link to contacts (by email, or by the id of a user of the account)."""
    emails = []
    for contact in contacts:
        if contact.get("email"):
            emails.append(contact["email"])
        elif contact.get("id"):
            user = User.objects.filter(account_id=meeting.account_id, public_id=contact["id"]).first()
            if user is None:
                raise invalid_parameter(f"params.contacts.id: User {contact['id'][:64]} does not exist in this account.")
            if not user.email_verified:  # only proven addresses receive mail on the account's behalf
                raise invalid_parameter(f"params.contacts.id: User {contact['id'][:64]} has not verified their email.")
            emails.append(user.email)
    if not emails:
        raise invalid_parameter("params.contacts: Give at least one contact with an email or id.")
    spend_invitation_budget(meeting, len(emails))
    host = meeting.host.get_full_name()
    greeting = f"Hi {invitee_name},\n\n" if invitee_name else ""
    body = (f"{greeting}{host} invites you to join {meeting.topic}, which is happening now.\n\n"
            f"Join: {join_url(meeting)}\nMeeting ID: {meeting.pk}\n"
            + (f"Passcode: {meeting.password}\n" if meeting.password else ""))
    send_after_commit(emails, f"Join now: {meeting.topic}", body)
    pushes.invited(meeting, emails, live=True)
    return len(emails)
