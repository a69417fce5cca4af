"""Meetings as the Zoom API shows them (response bodies and webhook objects), and display helpers for pages."""

from __future__ import annotations

from datetime import datetime
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from meetings.actions.links import (
    encrypted_password,
    join_url,
    meeting_join_urls,
    numeric_passcode,
    registrant_join_url,
    registration_url,
    start_url,
)
from meetings.actions.listing import ListedMeeting
from meetings.models import Instance, Meeting, Occurrence, Participant, Registrant
from meetings.validation import DEFAULT_SETTINGS, valid_timezone


def fmt(value: datetime | None) -> str | None:
    """Zoom's date-time format: UTC, seconds, 'Z' (isoformat's first 19 characters: a list page formats
    60, and this costs half of strftime, and less than asking isoformat for seconds)."""
    return value.astimezone(dt_timezone.utc).isoformat()[:19] + "Z" if value else None


def local_time_text(value: datetime, tz_name: str) -> str:
    zone = ZoneInfo(tz_name if valid_timezone(tz_name) else "UTC")
    return f"{value.astimezone(zone):%b %d, %Y %I:%M %p} {tz_name}"


def sip_links(meeting: Meeting) -> list[str]:
    """Addresses a SIP phone or room system dials (`<id>.<passcode>@<SIP_DOMAIN>`, see docs/meetings.md):
    only for a meeting with a passcode, since a bare meeting number lets nobody in; none for an
    end-to-end encrypted meeting (phones cannot take part in it)."""
    if not meeting.password or meeting.end_to_end_encrypted:
        return []
    port = f":{settings.SIP_PORT}" if settings.SIP_PORT not in (0, 5060) else ""
    return [f"{meeting.pk}.{meeting.password}@{settings.SIP_DOMAIN}{port}"]


def invitation_text(meeting: Meeting) -> str:
    """The text a host copies to invite people (the pages and GET /v2/meetings/{id}/invitation)."""
    room = personal_room(meeting)
    lines = [f"{meeting.host.get_full_name()} is inviting you to a meeting.", "", f"Topic: {meeting.topic}"]
    if meeting.start_time:
        lines.append(f"Time: {local_time_text(meeting.start_time, meeting.timezone)}")
    lines += ["", "Join the meeting:", join_url(room), "", f"Meeting ID: {room.pk}"]
    if room.password:
        lines.append(f"Passcode: {room.password}")
    for link in sip_links(room):
        lines += ["", "Join by SIP:", link]
    return "\n".join(lines)


def invitation(meeting: Meeting) -> dict:
    """Zoom's meeting invitation object."""
    return {"invitation": invitation_text(meeting), "sip_links": sip_links(personal_room(meeting))}


def personal_room(meeting: Meeting) -> Meeting:
    """Where people join `meeting`: the host's personal meeting room when it uses the PMI (use_pmi)."""
    if meeting.setting("use_pmi") and not meeting.personal:
        return Meeting.objects.personal(meeting.host)
    return meeting


def _without_none(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


def full_settings(meeting: Meeting, occurrence: Occurrence | None = None) -> dict:
    settings = {**DEFAULT_SETTINGS, **meeting.settings}
    if occurrence is not None:
        settings.update(occurrence.settings)
    return settings


def occurrence_objects(meeting: Meeting, show_previous: bool = False) -> list[dict]:
    occurrences = meeting.occurrences.filter(status=Occurrence.Status.AVAILABLE)
    now = timezone.now()
    return [
        {"occurrence_id": str(o.occurrence_id), "start_time": fmt(o.start_time),
         "duration": o.duration or meeting.duration, "status": o.status}
        for o in occurrences
        if show_previous or o.start_time.timestamp() + 60 * (o.duration or meeting.duration) >= now.timestamp()
    ]


def meeting_object(meeting: Meeting, *, occurrence: Occurrence | None = None, show_previous: bool = False) -> dict:
    """Zoom's full meeting object (GET /meetings/{id}, and the 201 of create)."""
    live_uuid = meeting.live_instance_uuid()
    start = occurrence.start_time if occurrence else meeting.start_time
    room = personal_room(meeting)
    data = {
        "uuid": live_uuid or meeting.next_instance_uuid,
        "id": meeting.pk,
        "host_id": meeting.host.public_id,
        "host_email": meeting.host.email,
        "topic": meeting.topic,
        "type": meeting.type,
        "status": "started" if live_uuid else "waiting",
        # An instant meeting starts when it is created (Zoom shows that time); type 3 has no time.
        "start_time": (fmt(start) if meeting.type in (Meeting.Type.SCHEDULED, Meeting.Type.RECURRING_FIXED_TIME)
                       else fmt(meeting.created_at) if meeting.type == Meeting.Type.INSTANT else None),
        "duration": (occurrence.duration if occurrence and occurrence.duration else meeting.duration),
        "timezone": meeting.timezone,
        "agenda": occurrence.agenda if occurrence and occurrence.agenda is not None else meeting.agenda,
        "created_at": fmt(meeting.created_at),
        "start_url": start_url(room),
        "join_url": join_url(room),
        # The room holds the meeting's chat: its chat link is the room's.
        "chat_join_url": join_url(room),
        "password": meeting.password,
        "h323_password": numeric_passcode(meeting),
        "pstn_password": numeric_passcode(meeting),
        "encrypted_password": encrypted_password(meeting) or None,
        "pre_schedule": False,
        "settings": full_settings(meeting, occurrence),
        "tracking_fields": [{**item, "visible": True} for item in meeting.tracking_fields],
        "registration_url": registration_url(meeting) or None,
    }
    if meeting.personal or full_settings(meeting).get("use_pmi"):
        data["pmi"] = str(meeting.host.pmi)
    if meeting.recurrence and meeting.is_recurring:
        data["recurrence"] = meeting.recurrence
    if meeting.type == Meeting.Type.RECURRING_FIXED_TIME:
        data["occurrences"] = occurrence_objects(meeting, show_previous)
    return _without_none(data)


def meeting_list_items(rows: list[ListedMeeting], host) -> list[dict]:
    """The `meetings` of a list page (rows of meetings.actions.listing, all hosted by `host`). A meeting
    that uses the host's personal meeting ID is joined in the personal room: looked up once a page.
    Built field by field rather than through `_without_none`: a page has up to 300 items."""
    room_url = None
    host_id, pmi = host.public_id, str(host.pmi)
    urls = meeting_join_urls([(row.id, row.password) for row in rows])
    items = []
    for row, url in zip(rows, urls, strict=True):
        uses_pmi = row.uses_pmi and not row.personal
        if uses_pmi:
            room_url = room_url or join_url(Meeting.objects.personal(host))
            url = room_url
        item = {"uuid": row.live_uuid or row.next_instance_uuid, "id": row.id, "host_id": host_id,
                "topic": row.topic, "type": row.type}
        start = row.list_start
        if start is not None:
            item["start_time"] = fmt(start)
        item.update(duration=row.duration, timezone=row.timezone, agenda=row.agenda, created_at=fmt(row.created_at),
                    join_url=url)
        if row.personal or uses_pmi:
            item["pmi"] = pmi
        items.append(item)
    return items


def upcoming_item(meeting: Meeting, start: datetime | None, occurrence_id: int | None) -> dict:
    return _without_none({
        "id": meeting.pk,
        "topic": meeting.topic,
        "type": meeting.type,
        "start_time": fmt(start),
        "duration": meeting.duration,
        "timezone": meeting.timezone,
        "created_at": fmt(meeting.created_at),
        "join_url": join_url(meeting),
        "occurrence_id": str(occurrence_id) if occurrence_id else None,
    })


def past_meeting_object(instance: Instance) -> dict:
    meeting = instance.meeting
    joined = list(instance.participants.filter(joined_at__isnull=False))
    end = instance.ended_at or timezone.now()
    seconds = sum(p.duration_seconds(end) for p in joined)
    return {
        "id": meeting.pk,
        "uuid": instance.uuid,
        "duration": max(0, round((end - instance.started_at).total_seconds() / 60)),
        "start_time": fmt(instance.started_at),
        "end_time": fmt(end),
        "host_id": meeting.host.public_id,
        "dept": "",
        "participants_count": len(joined),
        "source": meeting.source,
        "topic": meeting.topic,
        "total_minutes": round(seconds / 60),
        "type": meeting.type,
        "user_email": meeting.host.email,
        "user_name": meeting.host.get_full_name(),
    }


def participant_object(participant: Participant, host_account_id: int) -> dict:
    user = participant.user
    in_account = user is not None and user.account_id == host_account_id
    status = "in_waiting_room" if participant.status in (Participant.Status.WAITING_ROOM,
                                                          Participant.Status.WAITING_FOR_HOST) else "in_meeting"
    return _without_none({
        "id": user.public_id if user else "",
        "name": participant.name,
        "user_id": participant.key,
        "user_email": (participant.email or (user.email if user else "")) if in_account else "",
        "join_time": fmt(participant.joined_at or participant.created_at),
        "leave_time": fmt(participant.left_at),
        "duration": participant.duration_seconds(),
        "failover": False,
        "status": status,
        "registrant_id": participant.registrant_id or None,
    })


def instance_event_object(instance: Instance) -> dict:
    """The `object` of the meeting.* and recording.* webhook events."""
    meeting = instance.meeting
    return {
        "id": meeting.pk, "uuid": instance.uuid, "host_id": meeting.host.public_id, "topic": meeting.topic,
        "type": meeting.type, "start_time": fmt(instance.started_at), "timezone": meeting.timezone,
        "duration": meeting.duration,
    }


def meeting_event_object(meeting: Meeting) -> dict:
    """The `object` of meeting.created / updated / deleted (the scheduled meeting, Zoom's fields)."""
    return _without_none({
        "id": meeting.pk, "uuid": meeting.next_instance_uuid, "host_id": meeting.host.public_id,
        "topic": meeting.topic, "type": meeting.type, "start_time": fmt(meeting.start_time),
        "duration": meeting.duration, "timezone": meeting.timezone,
    })


def participant_event_object(instance: Instance, participant: Participant) -> dict:
    """The `object` of meeting.participant_* events: the instance and Zoom's `participant`."""
    person = _without_none({
        "user_id": participant.key, "participant_uuid": participant.key, "user_name": participant.name,
        "id": participant.user.public_id if participant.user else "", "email": participant.email,
        "join_time": fmt(participant.joined_at), "leave_time": fmt(participant.left_at),
        "date_time": fmt(timezone.now()),
    })
    return {**instance_event_object(instance), "participant": person}


def registrant_object(registrant: Registrant) -> dict:
    """Zoom's registrant (GET /meetings/{id}/registrants[/{registrantId}])."""
    details = {key: value for key, value in registrant.details.items() if key != "custom_questions"}
    return {
        "id": registrant.pk,
        "email": registrant.email,
        "first_name": registrant.first_name,
        "last_name": registrant.last_name,
        **details,
        "custom_questions": registrant.details.get("custom_questions", []),
        "status": registrant.status,
        "create_time": fmt(registrant.created_at),
        # Only approved people get a link that admits them.
        **({"join_url": registrant_join_url(registrant)} if registrant.status == Registrant.Status.APPROVED else {}),
    }


def registration_answer(registrant: Registrant) -> dict:
    """The 201 of POST /meetings/{id}/registrants."""
    meeting = registrant.meeting
    occurrences = [o for o in occurrence_objects(meeting)
                   if not registrant.occurrence_ids or int(o["occurrence_id"]) in registrant.occurrence_ids]
    return _without_none({
        "id": meeting.pk,
        "registrant_id": registrant.pk,
        "topic": meeting.topic,
        "start_time": fmt(meeting.start_time),
        "occurrences": occurrences if meeting.type == Meeting.Type.RECURRING_FIXED_TIME else None,
        "join_url": registrant_join_url(registrant) if registrant.status == Registrant.Status.APPROVED else None,
    })
