"""The meetings domain: every change to meetings goes through these functions.

Views (the /v2 API, the pages, the join endpoints) stay thin and call in here. Functions raise
`config.api.ZoomAPIError` for the caller's mistakes; the /v2 API answers it as Zoom's error
body and the pages turn it into a friendly message. Side effects (emails, webhooks, media
clean-up) run after the transaction commits.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import re
import secrets
from datetime import datetime, timedelta, timezone as dt_timezone
from urllib.parse import quote, unquote, urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework import status

from config.api import (
    CANNOT_ACCESS_MEETING,
    MEETING_NOT_FOUND,
    RATE_LIMITED,
    USER_NOT_FOUND,
    ZoomAPIError,
    invalid_parameter,
    not_found,
)
from meetings import media, recurrence, webhooks
from meetings.models import Instance, Meeting, Occurrence, Participant
from meetings.validation import DEFAULT_SETTINGS, OCCURRENCE_SETTINGS, to_utc, valid_timezone

logger = logging.getLogger(__name__)
User = get_user_model()

MAX_MEETING_ID = 2**63 - 1
INVITE_SALT = "meetings.invite-link"
START_SALT = "meetings.start-url"
START_URL_TTL = 2 * 3600
UUID_RE = re.compile(r"^[A-Za-z0-9+/]{22}==$")


# --- identifiers and lookups -----------------------------------------------------------------------


def parse_meeting_id(value) -> int:
    text = str(value).strip()
    if not text.isdigit() or not text.isascii() or int(text) > MAX_MEETING_ID or int(text) == 0:
        raise invalid_parameter(f"meetingId: Invalid meeting ID {text[:32]!r}.")
    return int(text)


def meeting_not_found(meeting_id) -> ZoomAPIError:
    return not_found(MEETING_NOT_FOUND, f"Meeting {meeting_id} is not found or has expired.")


def resolve_user(caller, user_id: str, *, admin: bool):
    """`userId` as Zoom takes it: "me", a user's id, or an email, within the caller's account.

    Without an admin scope, only the caller themself; anyone else is "not found" (no enumeration).
    """
    text = (user_id or "").strip()
    if text == "me" or text in (caller.public_id, caller.email):
        return caller
    user = None
    if admin and text:
        user = (User.objects.filter(account_id=caller.account_id, is_active=True)
                .filter(Q(public_id=text) | Q(email__iexact=text)).first())
    if user is None:
        raise not_found(USER_NOT_FOUND, f"User {text[:64]} does not exist or does not belong to this account.")
    return user


def visible_meetings(caller, *, admin: bool, include_deleted: bool = False):
    meetings = Meeting.objects.filter(account_id=caller.account_id)
    if not admin:
        meetings = meetings.filter(host=caller)
    if not include_deleted:
        meetings = meetings.alive()
    return meetings.select_related("host")


def get_meeting(caller, meeting_id, *, admin: bool, include_deleted: bool = False) -> Meeting:
    number = parse_meeting_id(meeting_id)
    meeting = visible_meetings(caller, admin=admin, include_deleted=include_deleted).filter(pk=number).first()
    if meeting is None:
        raise meeting_not_found(number)
    return meeting


def parse_uuid_param(value: str) -> str:
    """A meeting UUID from a path: Zoom clients double-encode UUIDs that start with '/' or contain '//'."""
    text = value
    if "%" in text:
        text = unquote(text)
    if not UUID_RE.match(text):
        raise invalid_parameter("meetingId: Invalid meeting ID or UUID.")
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_parameter("meetingId: Invalid meeting ID or UUID.") from None
    return text


def past_instance(caller, meeting_id_or_uuid: str, *, admin: bool, ended_only: bool = True) -> Instance:
    """An instance by meeting number (its latest one) or by instance UUID; past data stays readable
    after the meeting itself is deleted."""
    meetings = visible_meetings(caller, admin=admin, include_deleted=True)
    text = meeting_id_or_uuid.strip()
    instances = Instance.objects.filter(meeting__in=meetings).select_related("meeting", "meeting__host")
    if ended_only:
        instances = instances.filter(ended_at__isnull=False)
    if text.isdigit() and text.isascii():
        number = parse_meeting_id(text)
        instance = instances.filter(meeting_id=number).order_by("-started_at").first()
    else:
        instance = instances.filter(uuid=parse_uuid_param(text)).first()
    if instance is None:
        raise not_found(MEETING_NOT_FOUND, "This meeting is not available or the meeting ID is invalid.")
    return instance


# --- join URLs, passcodes, start URLs, invite links -----------------------------------------------


def encrypted_password(meeting: Meeting) -> str:
    """Zoom's `encrypted_password`: a URL-safe token standing for the passcode in `join_url` (pwd=)."""
    if not meeting.password:
        return ""
    digest = salted_hmac("meetings.encrypted-password", f"{meeting.pk}:{meeting.password}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def join_url(meeting: Meeting) -> str:
    url = f"{settings.SITE_ROOT}/j/{meeting.pk}"
    pwd = encrypted_password(meeting)
    return f"{url}?{urlencode({'pwd': pwd})}" if pwd else url


def start_url(meeting: Meeting) -> str:
    token = signing.dumps({"m": meeting.pk, "h": meeting.host_id}, salt=START_SALT, compress=True)
    return f"{settings.SITE_ROOT}/j/{meeting.pk}?{urlencode({'start': token})}"


def read_start_token(meeting: Meeting, token: str) -> bool:
    try:
        data = signing.loads(token, salt=START_SALT, max_age=START_URL_TTL)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return isinstance(data, dict) and data.get("m") == meeting.pk and data.get("h") == meeting.host_id


def passcode_matches(meeting: Meeting, passcode: str = "", pwd: str = "") -> bool:
    if not meeting.password:
        return True
    if passcode and hmac.compare_digest(str(passcode).encode(), meeting.password.encode()):
        return True
    return bool(pwd) and hmac.compare_digest(str(pwd).encode(), encrypted_password(meeting).encode())


def create_invite_links(meeting: Meeting, attendees: list[dict], ttl: int) -> list[dict]:
    """Personal join links: signed, expiring, pre-filling the name and admitting without the passcode."""
    now = int(timezone.now().timestamp())
    links = []
    for attendee in attendees:
        expires = now + attendee.get("ttl", ttl)
        token = signing.dumps({"m": meeting.pk, "n": attendee["name"], "e": expires}, salt=INVITE_SALT, compress=True)
        links.append({"name": attendee["name"],
                      "join_url": f"{settings.SITE_ROOT}/j/{meeting.pk}?{urlencode({'tk': token})}"})
    return links


def read_invite_token(meeting: Meeting, token: str) -> dict | None:
    """The invite's claims if `token` is a valid, unexpired invite to `meeting`, else None."""
    try:
        data = signing.loads(token, salt=INVITE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("m") != meeting.pk:
        return None
    if not isinstance(data.get("e"), int) or data["e"] < timezone.now().timestamp():
        return None
    return data


# --- creating and changing meetings ----------------------------------------------------------------


def new_passcode() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(6))


def _resolve_alternative_hosts(host, value: str) -> str:
    emails = []
    for item in filter(None, (part.strip() for part in value.replace(",", ";").split(";"))):
        user = (User.objects.filter(account_id=host.account_id, is_active=True)
                .filter(Q(email__iexact=item) | Q(public_id=item)).first())
        if user is None:
            raise invalid_parameter(f"settings.alternative_hosts: {item[:64]} is not a user of this account.")
        if user.pk != host.pk and user.email not in emails:
            emails.append(user.email)
    return ";".join(emails)


def _clean_settings(host, incoming: dict, current: dict | None = None) -> dict:
    merged = {**DEFAULT_SETTINGS, **(current or {}), **incoming}
    if "alternative_hosts" in incoming:
        merged["alternative_hosts"] = _resolve_alternative_hosts(host, incoming["alternative_hosts"])
    if "authentication_domains" in incoming:
        domains = [d.strip().lower().lstrip("@") for d in re.split(r"[,;\s]+", incoming["authentication_domains"])]
        merged["authentication_domains"] = ",".join(d for d in domains if d)
    return merged


def _apply_schedule(meeting: Meeting, data: dict, creating: bool) -> bool:
    """Applies type/time/recurrence fields; returns whether occurrences must be rebuilt."""
    before = (meeting.type, meeting.start_time, meeting.timezone, meeting.recurrence)
    if "timezone" in data:
        meeting.timezone = data["timezone"]
    if "type" in data:
        meeting.type = data["type"]
    if "start_time" in data:
        meeting.start_time = to_utc(data["start_time"], meeting.timezone)
    if "recurrence" in data:
        meeting.recurrence = recurrence.to_json(data["recurrence"])

    if meeting.type == Meeting.Type.INSTANT:
        meeting.start_time, meeting.recurrence = None, None
    elif meeting.type == Meeting.Type.SCHEDULED:
        meeting.recurrence = None
        if meeting.start_time is None:
            raise invalid_parameter("start_time: This field is required for a scheduled meeting (type 2).")
    elif meeting.type == Meeting.Type.RECURRING_NO_FIXED_TIME:
        meeting.start_time = None
    elif meeting.type == Meeting.Type.RECURRING_FIXED_TIME:
        if meeting.start_time is None:
            raise invalid_parameter("start_time: This field is required for a recurring meeting with a fixed time (type 8).")
        if not meeting.recurrence:
            raise invalid_parameter("recurrence: This field is required for a recurring meeting with a fixed time (type 8).")
    return creating or before != (meeting.type, meeting.start_time, meeting.timezone, meeting.recurrence)


def rebuild_occurrences(meeting: Meeting) -> None:
    """Materialises the occurrences of a type 8 meeting from its rule, keeping edited ones that still exist."""
    if meeting.type != Meeting.Type.RECURRING_FIXED_TIME:
        meeting.occurrences.all().delete()
        return
    starts = recurrence.expand(recurrence.from_json(meeting.recurrence), meeting.start_time, meeting.timezone)
    if not starts:
        raise invalid_parameter("recurrence.end_date_time: No occurrence falls between start_time and end_date_time.")
    wanted = {recurrence.occurrence_id_for(start): start for start in starts}
    meeting.occurrences.exclude(occurrence_id__in=wanted).delete()
    existing = set(meeting.occurrences.values_list("occurrence_id", flat=True))
    Occurrence.objects.bulk_create(
        Occurrence(meeting=meeting, occurrence_id=oid, start_time=start)
        for oid, start in wanted.items() if oid not in existing
    )


def host_timezone(host) -> str:
    return host.timezone if valid_timezone(host.timezone) else "UTC"


@transaction.atomic
def create_meeting(host, data: dict, *, source: str = "") -> Meeting:
    meeting = Meeting(account_id=host.account_id, host=host, source=source or settings.SITE_NAME,
                      timezone=data.get("timezone") or host_timezone(host))
    meeting.topic = data.get("topic", "") or f"{host.get_full_name()}'s meeting"
    meeting.agenda = data.get("agenda", "")
    meeting.duration = data.get("duration", 60)
    meeting.password = data["password"] if "password" in data else new_passcode()
    meeting.type = data.get("type", Meeting.Type.SCHEDULED)
    meeting.settings = _clean_settings(host, data.get("settings", {}))
    _apply_schedule(meeting, data, creating=True)
    for _ in range(5):  # a random id may collide: try again with another
        try:
            with transaction.atomic():
                meeting.id = Meeting._meta.pk.default()
                meeting._state.adding = True
                meeting.save(force_insert=True)
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - five collisions in a 10^11 space
        raise ZoomAPIError(status.HTTP_409_CONFLICT, CANNOT_ACCESS_MEETING, "Could not allocate a meeting id.")
    rebuild_occurrences(meeting)
    return meeting


def check_update_rate(meeting: Meeting) -> None:
    """Zoom allows 100 updates of one meeting per day."""
    limit = settings.MEETING_UPDATES_PER_DAY
    key = f"meetings:updates:{meeting.pk}:{timezone.now():%Y%m%d}"
    cache.add(key, 0, timeout=24 * 3600)
    if cache.incr(key) > limit:
        raise ZoomAPIError(status.HTTP_429_TOO_MANY_REQUESTS, RATE_LIMITED,
                           f"You have reached the maximum daily rate limit ({limit}) for updating this meeting. "
                           "Try again later.")


def get_occurrence(meeting: Meeting, occurrence_id) -> Occurrence:
    text = str(occurrence_id).strip()
    if not text.isdigit() or not text.isascii() or int(text) > MAX_MEETING_ID:
        raise invalid_parameter("occurrence_id: Invalid occurrence ID.")
    occurrence = meeting.occurrences.filter(occurrence_id=int(text), status=Occurrence.Status.AVAILABLE).first()
    if occurrence is None:
        raise not_found(MEETING_NOT_FOUND, f"Occurrence {text} of meeting {meeting.pk} is not found.")
    return occurrence


@transaction.atomic
def update_meeting(meeting: Meeting, data: dict) -> Meeting:
    if "topic" in data:
        meeting.topic = data["topic"]
    if "agenda" in data:
        meeting.agenda = data["agenda"]
    if "duration" in data:
        meeting.duration = data["duration"]
    if "password" in data:
        meeting.password = data["password"]
    if "settings" in data:
        meeting.settings = _clean_settings(meeting.host, data["settings"], meeting.settings)
    if "schedule_for" in data:
        raise invalid_parameter("schedule_for: The host of an existing meeting cannot be changed.")
    reschedule = _apply_schedule(meeting, data, creating=False)
    meeting.save()
    if reschedule:
        rebuild_occurrences(meeting)
    return meeting


@transaction.atomic
def update_occurrence(meeting: Meeting, occurrence: Occurrence, data: dict) -> Occurrence:
    if "start_time" in data:
        occurrence.start_time = to_utc(data["start_time"], meeting.timezone)
    if "duration" in data:
        occurrence.duration = data["duration"]
    if "agenda" in data:
        occurrence.agenda = data["agenda"]
    if "settings" in data:
        ignored = set(data["settings"]) - OCCURRENCE_SETTINGS
        if ignored:
            raise invalid_parameter(f"settings.{sorted(ignored)[0]}: This setting cannot be changed for one occurrence.")
        occurrence.settings = {**occurrence.settings, **data["settings"]}
    occurrence.save()
    return occurrence


def _notify(recipients: list[str], subject: str, body: str) -> None:
    recipients = [r for r in recipients if r]
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients,
                                                fail_silently=False))


def host_emails(meeting: Meeting) -> list[str]:
    alternatives = [e for e in meeting.setting("alternative_hosts").split(";") if e]
    return [meeting.host.email, *alternatives]


@transaction.atomic
def delete_meeting(meeting: Meeting, *, occurrence_id=None, notify_hosts: bool = False) -> None:
    if occurrence_id is not None:
        occurrence = get_occurrence(meeting, occurrence_id)
        occurrence.status = Occurrence.Status.DELETED
        occurrence.save(update_fields=["status"])
        when = occurrence.start_time.strftime("%Y-%m-%d %H:%M UTC")
        subject, body = (f"Cancelled: {meeting.topic} on {when}",
                         f"The occurrence of {meeting.topic} (meeting {meeting.pk}) on {when} was cancelled.")
    else:
        live = meeting.live_instance()
        if live:
            end_instance(live)
        meeting.deleted_at = timezone.now()
        meeting.save(update_fields=["deleted_at", "updated_at"])
        subject, body = f"Cancelled: {meeting.topic}", f"The meeting {meeting.topic} ({meeting.pk}) was cancelled."
    if notify_hosts:
        _notify(host_emails(meeting), subject, body)


@transaction.atomic
def recover_meeting(meeting: Meeting) -> None:
    if meeting.deleted_at is None:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           f"Meeting {meeting.pk} is not deleted, so it cannot be recovered.")
    meeting.deleted_at = None
    meeting.save(update_fields=["deleted_at", "updated_at"])


def end_meeting(meeting: Meeting) -> None:
    live = meeting.live_instance()
    if live is None:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           f"Meeting {meeting.pk} is not in progress.")
    end_instance(live)


# --- instances: start, end, recording, livestream ---------------------------------------------------


def _instance_event_object(instance: Instance) -> dict:
    from meetings.representations import fmt

    meeting = instance.meeting
    return {
        "id": meeting.pk, "uuid": instance.uuid, "host_id": meeting.host.public_id, "topic": meeting.topic,
        "type": meeting.type, "start_time": fmt(instance.started_at), "timezone": meeting.timezone,
        "duration": meeting.duration,
    }


@transaction.atomic
def start_instance(meeting: Meeting, *, occurrence_id: int | None = None) -> Instance:
    """Starts a new instance of `meeting` (the caller holds the meeting row lock)."""
    try:
        conference_id = media.create_conference(meeting.topic or f"Meeting {meeting.pk}")
    except media.MediaError as exc:
        raise ZoomAPIError(status.HTTP_503_SERVICE_UNAVAILABLE, CANNOT_ACCESS_MEETING,
                           f"The media engine could not start the meeting: {exc}") from exc
    instance = Instance.objects.create(meeting=meeting, uuid=meeting.next_instance_uuid, started_at=timezone.now(),
                                       occurrence_id=occurrence_id, conference_id=conference_id)
    meeting.next_instance_uuid = Meeting._meta.get_field("next_instance_uuid").default()
    meeting.save(update_fields=["next_instance_uuid"])
    webhooks.emit(meeting.account, "meeting.started", _instance_event_object(instance))
    if meeting.setting("auto_recording") == "cloud":
        control_recording(instance, "recording.start")
    return instance


@transaction.atomic
def end_instance(instance: Instance) -> None:
    now = timezone.now()
    if instance.recording_state in (Instance.Recording.RECORDING, Instance.Recording.PAUSED):
        control_recording(instance, "recording.stop")
    if instance.streaming_id:
        streaming_id, conference_id = instance.streaming_id, instance.conference_id
        transaction.on_commit(lambda: _quietly(media.stop_streaming, conference_id, streaming_id))
        instance.streaming_id = ""
    instance.ended_at = now
    instance.save(update_fields=["ended_at", "streaming_id", "recording_state"])
    instance.participants.filter(status=Participant.Status.IN_MEETING).update(status=Participant.Status.LEFT, left_at=now)
    Participant.objects.filter(meeting=instance.meeting, status__in=[
        Participant.Status.WAITING_ROOM, Participant.Status.WAITING_FOR_HOST,
    ]).update(status=Participant.Status.LEFT, left_at=now)
    conference_id = instance.conference_id
    transaction.on_commit(lambda: _quietly(media.delete_conference, conference_id))
    event = _instance_event_object(instance)
    event["end_time"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    webhooks.emit(instance.meeting.account, "meeting.ended", event)


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
    allowed_from, after, engine_call, event = RECORDING_TRANSITIONS[method]
    if instance.recording_state not in allowed_from:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           f"Cannot {method.split('.')[1]} the recording: it is {instance.recording_state}.")
    try:
        engine_call(instance.conference_id)
    except media.MediaError as exc:
        raise ZoomAPIError(status.HTTP_503_SERVICE_UNAVAILABLE, CANNOT_ACCESS_MEETING,
                           f"The media engine could not change the recording: {exc}") from exc
    now = timezone.now()
    instance.recording_state = after
    if method == "recording.start":
        instance.recording_started_at = now
    instance.save(update_fields=["recording_state", "recording_started_at"])
    payload = _instance_event_object(instance)
    payload["recording_file"] = {"recording_start": instance.recording_started_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if method == "recording.stop":
        payload["recording_file"]["recording_end"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    webhooks.emit(instance.meeting.account, event, payload)


def live_instance_or_error(meeting: Meeting) -> Instance:
    live = meeting.live_instance()
    if live is None:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           f"Meeting {meeting.pk} is not in progress.")
    return live


@transaction.atomic
def mute_all(instance: Instance) -> int:
    muted = 0
    for participant in instance.participants.filter(status=Participant.Status.IN_MEETING, muted=False):
        if participant.can_moderate:
            continue
        participant.muted = True
        participant.save(update_fields=["muted"])
        try:
            media.mute_participant(instance.conference_id, participant.media_participant_id)
        except media.MediaError:
            logger.warning("could not ask participant %s to mute", participant.key)
        muted += 1
    return muted


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
    instance = live_instance_or_error(meeting)
    if options:
        meeting.livestream = {**meeting.livestream, "settings": options}
        meeting.save(update_fields=["livestream", "updated_at"])
    try:
        if action == "start":
            target = livestream_target(meeting)
            if instance.streaming_id:
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
    instance.save(update_fields=["streaming_id"])


# --- SIP ------------------------------------------------------------------------------------------


def sip_dialing(meeting: Meeting, passcode: str = "") -> dict:
    """A SIP URI for the meeting, pointing at the media engine's dial-in (SIP_DOMAIN:SIP_PORT). Its
    participant code is signed and expires; the engine asks `meetings.sip.answer_call` about each call."""
    from meetings import sip

    ttl = settings.SIP_URI_TTL
    code = sip.signed_code(meeting)
    port = f":{settings.SIP_PORT}" if settings.SIP_PORT not in (0, 5060) else ""
    uri = f"sip:{meeting.pk}@{settings.SIP_DOMAIN}{port}"
    if passcode:
        uri += f";pwd={quote(passcode, safe='')}"
    uri += f";pic={code}"
    return {"sip_dialing": uri, "paid_crc_plan_participant": False, "participant_identifier_code": code,
            "expire_in": ttl}


def verify_sip_uri(uri: str) -> Meeting | None:
    """The meeting a SIP URI from `sip_dialing` admits to, or None (unknown, expired, forged, wrong passcode)."""
    from meetings import sip

    try:
        return sip.check_uri(uri)
    except sip.Refused:
        return None


# --- invitations by email ---------------------------------------------------------------------------


def invite_by_email(meeting: Meeting, contacts: list[dict], invitee_name: str = "") -> int:
    emails = []
    for contact in contacts:
        if contact.get("email"):
            emails.append(contact["email"])
        elif contact.get("id"):
            user = User.objects.filter(account_id=meeting.account_id, public_id=contact["id"]).first()
            if user is None:
                raise invalid_parameter(f"params.contacts.id: User {contact['id'][:64]} does not exist in this account.")
            emails.append(user.email)
    if not emails:
        raise invalid_parameter("params.contacts: Give at least one contact with an email or id.")
    host = meeting.host.get_full_name()
    greeting = f"Hi {invitee_name},\n\n" if invitee_name else ""
    body = (f"{greeting}{host} invites you to join {meeting.topic}, which is happening now.\n\n"
            f"Join: {join_url(meeting)}\nMeeting ID: {meeting.pk}\n"
            + (f"Passcode: {meeting.password}\n" if meeting.password else ""))
    _notify(emails, f"Join now: {meeting.topic}", body)
    return len(emails)


def invitation_text(meeting: Meeting) -> str:
    """The text a host copies to invite people."""
    from meetings.representations import local_time_text

    lines = [f"{meeting.host.get_full_name()} is inviting you to a meeting.", "", f"Topic: {meeting.topic}"]
    if meeting.start_time:
        lines.append(f"Time: {local_time_text(meeting.start_time, meeting.timezone)}")
    lines += ["", "Join the meeting:", join_url(meeting), "", f"Meeting ID: {meeting.pk}"]
    if meeting.password:
        lines.append(f"Passcode: {meeting.password}")
    return "\n".join(lines)


def upcoming_window(meetings, start: datetime, end: datetime) -> list[tuple[Meeting, datetime, int | None]]:
    """(meeting, start time, occurrence id) of everything starting in [start, end), plus live meetings."""
    found = []
    live_ids = set(Instance.objects.filter(meeting__in=meetings, ended_at__isnull=True).values_list("meeting_id", flat=True))
    for meeting in meetings.filter(Q(pk__in=live_ids) | Q(start_time__lt=end) | Q(type=Meeting.Type.RECURRING_FIXED_TIME)):
        if meeting.type == Meeting.Type.RECURRING_FIXED_TIME:
            occurrences = meeting.occurrences.filter(status=Occurrence.Status.AVAILABLE, start_time__gte=start,
                                                     start_time__lt=end)
            found += [(meeting, o.start_time, o.occurrence_id) for o in occurrences]
            if meeting.pk in live_ids and not occurrences:
                found.append((meeting, meeting.start_time, None))
        elif meeting.pk in live_ids or (meeting.start_time and start <= meeting.start_time < end):
            found.append((meeting, meeting.start_time, None))
    found.sort(key=lambda item: (item[1] or start, item[0].pk))
    return found


def next_start(meeting: Meeting, now: datetime | None = None) -> datetime | None:
    now = now or timezone.now()
    if meeting.type == Meeting.Type.RECURRING_FIXED_TIME:
        occurrence = meeting.occurrences.filter(status=Occurrence.Status.AVAILABLE,
                                                start_time__gte=now - timedelta(minutes=meeting.duration)).first()
        return occurrence.start_time if occurrence else None
    return meeting.start_time


def utc(value: datetime) -> datetime:
    return value.astimezone(dt_timezone.utc)
