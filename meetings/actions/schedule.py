"""Scheduling meetings: create, update (with Zoom's daily limit), delete and recover meetings and
the occurrences of recurring ones.

A meeting in progress cannot be deleted (Zoom's 3002: end it first); an update of a live meeting
applies to whoever joins next, and its type cannot change while it runs. Email notices go out
after commit.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework import status

from accounts import user_settings
from config.api import (
    CANNOT_ACCESS_MEETING,
    MEETING_IN_PROGRESS,
    PMI_NOT_DELETABLE,
    RATE_LIMITED,
    ZoomAPIError,
    invalid_parameter,
)
from meetings import recurrence, tasks
from meetings.actions import mail
from meetings.actions.links import join_url
from meetings.actions.lookups import get_occurrence, host_timezone
from meetings.actions.mail import send_after_commit
from meetings.models import Meeting, Occurrence
from meetings.representations import meeting_event_object
from meetings.validation import DEFAULT_SETTINGS, OCCURRENCE_SETTINGS, to_utc, with_e2ee_rules
from webhooks import events as webhooks

User = get_user_model()


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
    return with_e2ee_rules(merged)  # as Zoom: e2ee turns join before host and cloud recording off


def _tracking_fields(items: list[dict]) -> list[dict]:
    return [{"field": item["field"], "value": item.get("value", "")} for item in items]


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
    if meeting.recurrence is None or meeting.start_time is None:
        raise invalid_parameter("A recurring meeting with a fixed time needs a start_time and a recurrence.")
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


@transaction.atomic
def create_meeting(host, data: dict, *, source: str = "") -> Meeting:
    meeting = Meeting(account_id=host.account_id, host=host, source=source or settings.SITE_NAME,
                      timezone=data.get("timezone") or host_timezone(host))
    meeting.topic = data.get("topic", "") or f"{host.get_full_name()}'s meeting"
    meeting.agenda = data.get("agenda", "")
    meeting.duration = data.get("duration", 60)
    meeting.type = data.get("type", Meeting.Type.SCHEDULED)
    # The host's own settings (GET /users/{userId}/settings) are the defaults; the request's win.
    stored = user_settings.stored_settings(host)
    generated = new_passcode() if user_settings.generates_passcodes(host, stored) else ""
    meeting.password = data["password"] if "password" in data else generated
    meeting.settings = _clean_settings(host, data.get("settings", {}),
                                       user_settings.meeting_defaults(host, meeting.type, stored))
    meeting.tracking_fields = _tracking_fields(data.get("tracking_fields", []))
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
    if meeting.type == Meeting.Type.RECURRING_FIXED_TIME:  # (a new meeting has no occurrences to remove)
        rebuild_occurrences(meeting)
    _notify_alternative_hosts(meeting, meeting.alternative_host_emails())
    webhooks.emit(meeting.account, "meeting.created", meeting_event_object(meeting))
    return meeting


def _notify_alternative_hosts(meeting: Meeting, emails: list[str]) -> None:
    """alternative_hosts_email_notification (and email_notification): newly named alternative hosts
    are told, with the link they start the meeting from (signed in, the room makes them host)."""
    if not emails or not (meeting.setting("alternative_hosts_email_notification") and meeting.setting("email_notification")):
        return
    send_after_commit(emails, f"You are an alternative host of {meeting.topic}",
                      f"{meeting.host.get_full_name()} made you an alternative host of {meeting.topic} "
                      f"(meeting {meeting.pk}). Sign in and open {join_url(meeting)} to start it.")


def check_update_rate(meeting: Meeting) -> None:
    """Zoom allows 100 updates of one meeting per day."""
    limit = settings.MEETING_UPDATES_PER_DAY
    key = f"meetings:updates:{meeting.pk}:{timezone.now():%Y%m%d}"
    cache.add(key, 0, timeout=24 * 3600)
    if cache.incr(key) > limit:
        raise ZoomAPIError(status.HTTP_429_TOO_MANY_REQUESTS, RATE_LIMITED,
                           f"You have reached the maximum daily rate limit ({limit}) for updating this meeting. "
                           "Try again later.")

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
    alternatives_before = set(meeting.alternative_host_emails())
    if "settings" in data:
        encryption = data["settings"].get("encryption_type", meeting.setting("encryption_type"))
        if encryption != meeting.setting("encryption_type") and meeting.live_instance() is not None:
            # The browsers in the call encrypt (or not) as they joined: a change would leave them deaf to newcomers.
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                               "settings.encryption_type: The encryption of a meeting in progress cannot be changed.")
        meeting.settings = _clean_settings(meeting.host, data["settings"], meeting.settings)
    if "tracking_fields" in data:
        meeting.tracking_fields = _tracking_fields(data["tracking_fields"])
    if "schedule_for" in data:
        raise invalid_parameter("schedule_for: The host of an existing meeting cannot be changed.")
    if "type" in data and data["type"] != meeting.type and meeting.live_instance() is not None:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           "type: The type of a meeting in progress cannot be changed.")
    reschedule = _apply_schedule(meeting, data, creating=False)
    meeting.save()
    if reschedule:
        rebuild_occurrences(meeting)
    _notify_alternative_hosts(meeting, [e for e in meeting.alternative_host_emails() if e not in alternatives_before])
    webhooks.emit(meeting.account, "meeting.updated", meeting_event_object(meeting))
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

def host_emails(meeting: Meeting) -> list[str]:
    return [meeting.host.email, *meeting.alternative_host_emails()]


@transaction.atomic
def delete_meeting(meeting: Meeting, *, occurrence_id=None, notify_hosts: bool = False,
                   notify_registrants: bool = False, notify: list[str] | tuple[str, ...] = ()) -> None:
    """Deletes the meeting (or one occurrence). `notify_hosts` is Zoom's schedule_for_reminder (a plain
    notice to the hosts); `notify_registrants` (Zoom's cancel_meeting_reminder) and `notify` (more
    addresses, e.g. the page's invitees) get the cancellation notice with its .ics, by Celery after
    the commit."""
    occurrence = None
    if occurrence_id is not None:
        occurrence = get_occurrence(meeting, occurrence_id)
        occurrence.status = Occurrence.Status.DELETED
        occurrence.save(update_fields=["status"])
        when = occurrence.start_time.strftime("%Y-%m-%d %H:%M UTC")
        subject, body = (f"Cancelled: {meeting.topic} on {when}",
                         f"The occurrence of {meeting.topic} (meeting {meeting.pk}) on {when} was cancelled.")
        deleted = {**meeting_event_object(meeting), "occurrences": [
            {"occurrence_id": str(occurrence_id), "start_time": occurrence.start_time.strftime("%Y-%m-%dT%H:%M:%SZ")}]}
    else:
        if meeting.personal:
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, PMI_NOT_DELETABLE, "Not allowed to delete PMI.")
        if meeting.live_instance() is not None:  # Zoom refuses; PUT /status {"action": "end"} ends it
            raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, MEETING_IN_PROGRESS,
                               "Sorry, you cannot delete this meeting since it is in progress.")
        meeting.deleted_at = timezone.now()
        meeting.save(update_fields=["deleted_at", "updated_at"])
        subject, body = f"Cancelled: {meeting.topic}", f"The meeting {meeting.topic} ({meeting.pk}) was cancelled."
        deleted = meeting_event_object(meeting)
    webhooks.emit(meeting.account, "meeting.deleted", deleted)
    if notify_hosts:
        send_after_commit(host_emails(meeting), subject, body)
    recipients = list(dict.fromkeys([*(mail.registrant_emails(meeting, occurrence) if notify_registrants else []),
                                     *notify]))
    if recipients:
        meeting_id, occurrence_key = meeting.pk, occurrence.occurrence_id if occurrence else 0
        transaction.on_commit(lambda: tasks.send_cancellation_notices.delay(meeting_id, recipients, occurrence_key))


@transaction.atomic
def recover_meeting(meeting: Meeting) -> None:
    if meeting.deleted_at is None:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           f"Meeting {meeting.pk} is not deleted, so it cannot be recovered.")
    meeting.deleted_at = None
    meeting.save(update_fields=["deleted_at", "updated_at"])
