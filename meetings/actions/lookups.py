"""Finding what a caller may see: meetings by number, past instances by number or UUID, occurrences,
users by Zoom's `userId`, and what is coming up. Reads only.

Whatever the caller may not see is "not found" (no enumeration of other accounts' meetings).
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime, timedelta
from urllib.parse import unquote

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from config.api import (
    CANNOT_ACCESS_MEETING,
    MEETING_NOT_FOUND,
    USER_NOT_FOUND,
    ZoomAPIError,
    invalid_parameter,
    not_found,
)
from config.db import fetch_model, model_columns
from meetings.models import Instance, Meeting, Occurrence
from meetings.validation import valid_timezone

User = get_user_model()

MAX_MEETING_ID = 2**63 - 1
UUID_RE = re.compile(r"^[A-Za-z0-9+/]{22}==$")


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


def schedule_for_user(caller, value: str, *, admin: bool):
    """The host named by `schedule_for`: like `userId`, but an unknown one is Zoom's 400 (code 300)."""
    try:
        return resolve_user(caller, value, admin=admin)
    except ZoomAPIError:
        raise invalid_parameter("schedule_for: The value that you entered for the schedule_for field is invalid. "
                                "Enter a valid value.") from None


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
        owner = User.objects.filter(pmi=number, account_id=caller.account_id, is_active=True).first()
        if owner is not None and (admin or owner.pk == caller.pk) and not Meeting.objects.filter(pk=number).exists():
            return Meeting.objects.personal(owner)  # the personal meeting room, from its first use
        raise meeting_not_found(number)
    return meeting


# GET /meetings/{id}: the meeting and its live instance's UUID in one query, as plain SQL (building the
# ORM query for it cost more than running it). The same rules as get_meeting's: the caller's account,
# the caller's own meetings without an admin scope, not deleted.
MEETING_TO_SHOW_SQL = f"""SELECT {model_columns(Meeting, "m")}, (SELECT i.uuid FROM meetings_instance i WHERE i.meeting_id = m.id AND i.ended_at IS NULL
                             ORDER BY i.started_at LIMIT 1) AS live_uuid
FROM meetings_meeting m
WHERE m.id = %(id)s AND m.account_id = %(account)s AND m.deleted_at IS NULL AND (%(admin)s OR m.host_id = %(caller)s)"""


def meeting_to_show(caller, meeting_id, *, admin: bool) -> Meeting:
    """get_meeting for showing the meeting: the same answers and errors, its live instance's UUID
    loaded with it (`Meeting.live_instance_uuid`)."""
    number = parse_meeting_id(meeting_id)
    meeting = fetch_model(Meeting, MEETING_TO_SHOW_SQL, {"id": number, "account": caller.account_id,
                                                         "admin": admin, "caller": caller.pk}, extra=("live_uuid",))
    if meeting is None:  # a personal meeting room at its first use, or not found
        return get_meeting(caller, meeting_id, admin=admin)
    if meeting.host_id == caller.pk:
        meeting.host = caller
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


def invalid_occurrence(text: str) -> ZoomAPIError:
    """Zoom answers an occurrence_id the meeting does not have (or no longer has) with 400, code 3000."""
    return ZoomAPIError(400, CANNOT_ACCESS_MEETING, f"Invalid occurrence_id: {text[:32]}.", field="occurrence_id")


def get_occurrence(meeting: Meeting, occurrence_id) -> Occurrence:
    text = str(occurrence_id).strip()
    if not text.isdigit() or not text.isascii() or int(text) > MAX_MEETING_ID:
        raise invalid_occurrence(text)
    occurrence = meeting.occurrences.filter(occurrence_id=int(text), status=Occurrence.Status.AVAILABLE).first()
    if occurrence is None:
        raise invalid_occurrence(text)
    return occurrence


def host_timezone(host) -> str:
    return host.timezone if valid_timezone(host.timezone) else "UTC"


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
