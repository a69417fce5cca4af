"""A meeting as a calendar entry: the `.ics` file (RFC 5545, built with icalendar) that the meeting
page offers and invitation e-mails attach, and "add to calendar" links for Google and Outlook on
the web.

The event starts at the meeting's start in its own time zone (DTSTART;TZID=..., with the VTIMEZONE
included), repeats by the meeting's recurrence as an RRULE (deleted occurrences as EXDATE), and
carries the invitation text and the join link. Its UID is stable per meeting, so importing it again
updates the entry; a cancellation (METHOD:CANCEL, STATUS:CANCELLED) uses the same UID.
Meetings without a fixed time (instant, "no fixed time") have no calendar entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from meetings import recurrence as recurrences
from meetings.actions.links import join_url
from meetings.models import Meeting, Occurrence
from meetings.representations import invitation_text
from meetings.validation import valid_timezone

PRODID = "-//Confer//Meetings//EN"


def has_calendar_entry(meeting: Meeting) -> bool:
    return meeting.start_time is not None and meeting.type in (Meeting.Type.SCHEDULED, Meeting.Type.RECURRING_FIXED_TIME)


def _start(meeting: Meeting) -> datetime:
    """The start of a meeting with a calendar entry (callers check has_calendar_entry)."""
    if meeting.start_time is None:
        raise ValueError(f"meeting {meeting.pk} has no fixed start time, so no calendar entry")
    return meeting.start_time


def _zone(meeting: Meeting) -> ZoneInfo:
    return ZoneInfo(meeting.timezone if valid_timezone(meeting.timezone) else "UTC")


def event_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{settings.SITE_ROOT.split('://', 1)[-1].split('/', 1)[0] or 'confer'}"


def ics(meeting: Meeting, *, cancelled: bool = False, occurrence: Occurrence | None = None) -> bytes:
    """The meeting as an iCalendar file (bytes, CRLF lines). With `occurrence` (a cancellation of one
    occurrence of a recurring meeting): that instance only, identified by RECURRENCE-ID."""
    zone = _zone(meeting)
    start = (occurrence.start_time if occurrence else _start(meeting)).astimezone(zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("sequence", int(meeting.updated_at.timestamp()) if meeting.updated_at else 0)
    event.add("summary", meeting.topic)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=(occurrence and occurrence.duration) or meeting.duration))
    event.add("location", join_url(meeting))
    event.add("url", join_url(meeting))
    event.add("description", invitation_text(meeting))
    event.add("organizer", f"mailto:{meeting.host.email}", parameters={"cn": meeting.host.get_full_name()})
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if occurrence is not None:
        event.add("recurrence-id", start)
    elif meeting.type == Meeting.Type.RECURRING_FIXED_TIME and meeting.recurrence:
        event.add("rrule", vRecur(recurrences.ical_rule(meeting.recurrence)))
        for deleted in meeting.occurrences.filter(status=Occurrence.Status.DELETED).order_by("start_time"):
            event.add("exdate", deleted.start_time.astimezone(zone))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _utc_stamp(value) -> str:
    return value.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def google_link(meeting: Meeting) -> str:
    """Google Calendar's event template (it takes the RRULE too)."""
    end = _start(meeting) + timedelta(minutes=meeting.duration)
    query = {"action": "TEMPLATE", "text": meeting.topic,
             "dates": f"{_utc_stamp(meeting.start_time)}/{_utc_stamp(end)}", "ctz": _zone(meeting).key,
             "details": invitation_text(meeting), "location": join_url(meeting)}
    if meeting.type == Meeting.Type.RECURRING_FIXED_TIME and meeting.recurrence:
        query["recur"] = "RRULE:" + vRecur(recurrences.ical_rule(meeting.recurrence)).to_ical().decode()
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_link(meeting: Meeting) -> str:
    """Outlook on the web's compose deep link (one event: the link cannot carry a recurrence; the
    .ics file can)."""
    end = _start(meeting) + timedelta(minutes=meeting.duration)
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": meeting.topic,
             "startdt": _start(meeting).astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "enddt": end.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "body": invitation_text(meeting), "location": join_url(meeting)}
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
