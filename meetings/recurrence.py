"""Expands Zoom's `recurrence` object into occurrence start times (python-dateutil's rrule).

Occurrences repeat at the same wall-clock time in the meeting's time zone, so a 09:00 meeting in
Europe/Berlin is at 08:00 UTC in winter and 07:00 UTC in summer. The rule is evaluated on naive
local times and each result is then placed in the zone (zoneinfo), which is what makes DST work.

Zoom's encodings: recurrence type 1 daily, 2 weekly, 3 monthly; weekly_days "1,3" = Sunday,
Tuesday (1 = Sunday ... 7 = Saturday); monthly_week -1 = last week; occurrence_id = the
occurrence's start in epoch milliseconds.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from dateutil import rrule

from meetings.validation import MAX_OCCURRENCES

_FREQUENCIES = {1: rrule.DAILY, 2: rrule.WEEKLY, 3: rrule.MONTHLY}
# Zoom's day numbers (1 = Sunday) to dateutil's weekdays.
_WEEKDAYS = {1: rrule.SU, 2: rrule.MO, 3: rrule.TU, 4: rrule.WE, 5: rrule.TH, 6: rrule.FR, 7: rrule.SA}


def occurrence_id_for(start: datetime) -> int:
    return int(start.timestamp() * 1000)


def expand(recurrence: dict, first_start: datetime, tz_name: str) -> list[datetime]:
    """UTC start times of every occurrence (at most MAX_OCCURRENCES), in order.

    `recurrence` is a validated recurrence object (see RecurrenceSerializer); `first_start` is the
    meeting's start_time (aware). The first occurrence is the first date on or after it that
    matches the rule, as in Zoom.
    """
    zone = ZoneInfo(tz_name)
    local_start = first_start.astimezone(zone).replace(tzinfo=None)
    kwargs: dict = {"dtstart": local_start, "interval": recurrence.get("repeat_interval", 1)}
    rtype = recurrence["type"]
    if rtype == 2:
        kwargs["byweekday"] = [_WEEKDAYS[int(day)] for day in recurrence["weekly_days"].split(",")]
    elif rtype == 3:
        if "monthly_week" in recurrence:
            weekday = _WEEKDAYS[recurrence["monthly_week_day"]]
            kwargs["byweekday"] = [weekday(recurrence["monthly_week"])]
        else:
            # Months without that day (31st in April) are skipped, as rrule (and RFC 5545) do.
            kwargs["bymonthday"] = [recurrence["monthly_day"]]
    if "end_date_time" in recurrence and recurrence["end_date_time"] is not None:
        end = recurrence["end_date_time"]
        if isinstance(end, str):
            end = datetime.fromisoformat(end)
        kwargs["until"] = end.astimezone(zone).replace(tzinfo=None)
        kwargs["count"] = None
    else:
        kwargs["count"] = min(recurrence.get("end_times", 1), MAX_OCCURRENCES)
    if kwargs["count"] is None:
        del kwargs["count"]
    rule = rrule.rrule(_FREQUENCIES[rtype], **kwargs)
    starts = []
    for local in rule:
        starts.append(local.replace(tzinfo=zone).astimezone(dt_timezone.utc))
        if len(starts) >= MAX_OCCURRENCES:
            break
    return starts


_ICAL_FREQ = {1: "DAILY", 2: "WEEKLY", 3: "MONTHLY"}
_ICAL_DAYS = {1: "SU", 2: "MO", 3: "TU", 4: "WE", 5: "TH", 6: "FR", 7: "SA"}


def ical_rule(recurrence: dict) -> dict:
    """The recurrence as the parts of an RFC 5545 RRULE (for icalendar's vRecur), describing the same
    occurrences `expand` makes: the count is capped at MAX_OCCURRENCES, UNTIL is in UTC."""
    rule: dict = {"FREQ": _ICAL_FREQ[recurrence["type"]], "INTERVAL": recurrence.get("repeat_interval", 1)}
    if recurrence["type"] == 2:
        rule["BYDAY"] = [_ICAL_DAYS[int(day)] for day in recurrence["weekly_days"].split(",")]
    elif recurrence["type"] == 3:
        if "monthly_week" in recurrence:
            rule["BYDAY"] = [f"{recurrence['monthly_week']}{_ICAL_DAYS[recurrence['monthly_week_day']]}"]
        else:
            rule["BYMONTHDAY"] = [recurrence["monthly_day"]]
    end = recurrence.get("end_date_time")
    if end is not None:
        if isinstance(end, str):
            end = datetime.fromisoformat(end.replace("Z", "+00:00"))
        rule["UNTIL"] = end.astimezone(dt_timezone.utc)
    else:
        rule["COUNT"] = min(recurrence.get("end_times", 1), MAX_OCCURRENCES)
    return rule


def to_json(recurrence: dict) -> dict:
    """The recurrence object as stored and returned (end_date_time as a UTC 'Z' string)."""
    data = dict(recurrence)
    end = data.get("end_date_time")
    if isinstance(end, datetime):
        data["end_date_time"] = end.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return data


def from_json(recurrence: dict) -> dict:
    data = dict(recurrence)
    if isinstance(data.get("end_date_time"), str):
        data["end_date_time"] = datetime.fromisoformat(data["end_date_time"])
    return data
