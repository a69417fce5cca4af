"""Which meetings, instances and participants a dashboard caller may see, and their /v2 objects.

The dashboard covers the caller's account when the caller is an account owner or admin, else only
the meetings the caller hosts; anything else is "not found" (3001). `type=live` reads the running
instance, `type=past` the latest ended one (or the instance named by its UUID). The Video SDK
endpoints name a session by the instance UUID or by the engine's conference id, and its users by
the engine's participant ids (what the Mind SDK calls `participant.getId()`).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone
from urllib.parse import unquote

from django.db.models import Count, Q

from config.api import MEETING_NOT_FOUND, ZoomAPIError, invalid_parameter, not_found
from meetings.actions import lookups
from meetings.models import Instance, Participant
from meetings.representations import fmt
from qos import reports
from qos.models import QosClient

LIVE, PAST, PAST_ONE = "live", "past", "pastOne"
MAX_RANGE = timedelta(days=31)
NOT_AVAILABLE = "This meeting's details are not available, the meeting ID is not valid or the meeting has not ended yet."


def is_admin(user) -> bool:
    return bool(getattr(user, "is_account_admin", False))


def meeting_type(request, allowed=(LIVE, PAST)) -> str:
    value = request.query_params.get("type") or LIVE
    if value not in allowed:
        raise invalid_parameter(f"type: Must be one of {', '.join(allowed)}.")
    return value


def _moment(request, name: str, end_of_day: bool) -> datetime:
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        raise invalid_parameter(f"{name}: This field is required.")
    try:
        if len(raw) == 10:
            day = datetime.strptime(raw, "%Y-%m-%d").date()
            value = datetime.combine(day, time.max if end_of_day else time.min)
        else:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_parameter(f"{name}: Must be a date such as 2024-06-01 or 2024-06-01 09:00:00.") from None
    return value if value.tzinfo else value.replace(tzinfo=dt_timezone.utc)


def date_range(request) -> tuple[datetime, datetime]:
    start, end = _moment(request, "from", False), _moment(request, "to", True)
    if end < start:
        raise invalid_parameter("to: Must not be before from.")
    if end - start > MAX_RANGE:
        raise invalid_parameter("from: The date range may cover one month at most.")
    return start, end


def listed_instances(user, kind: str, start: datetime, end: datetime, by_end_time: bool):
    """The instances `GET /metrics/meetings` lists: live ones, or those that started (or ended) in the range."""
    meetings = lookups.visible_meetings(user, admin=is_admin(user), include_deleted=True)
    instances = Instance.objects.filter(meeting__in=meetings).select_related("meeting", "meeting__host")
    if kind == LIVE:
        return instances.filter(ended_at__isnull=True)
    field = "ended_at" if by_end_time else "started_at"
    instances = instances.filter(ended_at__isnull=False, **{f"{field}__gte": start, f"{field}__lte": end})
    if kind == PAST_ONE:
        instances = instances.annotate(joined=Count("participants", filter=Q(participants__joined_at__isnull=False)))
        instances = instances.filter(joined=1)
    return instances


def instance(user, meeting_id: str, kind: str) -> Instance:
    """The instance a per-meeting dashboard request means (see the module docstring)."""
    if kind != LIVE:
        try:
            return lookups.past_instance(user, meeting_id, admin=is_admin(user))
        except ZoomAPIError as exc:
            if exc.code == MEETING_NOT_FOUND:
                raise not_found(MEETING_NOT_FOUND, NOT_AVAILABLE) from None
            raise
    meetings = lookups.visible_meetings(user, admin=is_admin(user), include_deleted=True)
    live = Instance.objects.filter(meeting__in=meetings, ended_at__isnull=True).select_related("meeting", "meeting__host")
    text = meeting_id.strip()
    if text.isdigit() and text.isascii():
        found = live.filter(meeting_id=lookups.parse_meeting_id(text)).order_by("-started_at").first()
    else:
        found = live.filter(uuid=lookups.parse_uuid_param(text)).first()
    if found is None:
        raise not_found(MEETING_NOT_FOUND, "This meeting is not live, or the meeting ID is not valid.")
    return found


def session(user, session_id: str, kind: str) -> Instance:
    """A Video SDK session: an instance by UUID, or by the engine's conference id."""
    text = unquote(session_id.strip()) if "%" in session_id else session_id.strip()  # double-encoded UUIDs
    meetings = lookups.visible_meetings(user, admin=is_admin(user), include_deleted=True)
    instances = Instance.objects.filter(meeting__in=meetings).exclude(conference_id="")
    instances = instances.filter(ended_at__isnull=True) if kind == LIVE else instances.filter(ended_at__isnull=False)
    found = instances.filter(Q(uuid=text) | Q(conference_id=text)).first() if text else None
    if found is None:
        raise not_found(MEETING_NOT_FOUND, "The session does not exist, or is not " + ("live." if kind == LIVE else "over yet."))
    return found


def joined_participants(instance: Instance):
    return Participant.objects.filter(instance=instance, joined_at__isnull=False).select_related("user")


def participant(instance: Instance, participant_id: str) -> Participant:
    """A participant of the instance by Zoom's participant id (`user_id`: the participant's key)."""
    found = joined_participants(instance).filter(key=participant_id.strip()).first() if participant_id.strip() else None
    if found is None:
        raise not_found(MEETING_NOT_FOUND, "This participant is not found in this meeting.")
    return found


def session_user(instance: Instance, user_id: str) -> Participant:
    found = joined_participants(instance).filter(media_participant_id=user_id.strip()).first() if user_id.strip() else None
    if found is None:
        raise not_found(MEETING_NOT_FOUND, "This user is not found in this session.")
    return found


# --- /v2 objects ------------------------------------------------------------------------------------

def _duration(instance: Instance, now: datetime) -> str:
    seconds = int(((instance.ended_at or now) - instance.started_at).total_seconds())
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def meeting_object(instance: Instance, flags: dict, participants: int, now: datetime,
                   tracking_fields: bool = False) -> dict:
    meeting = instance.meeting
    body = {
        "uuid": instance.uuid, "id": meeting.pk, "topic": meeting.topic, "host": meeting.host.get_full_name(), "email": meeting.host.email,
        "start_time": fmt(instance.started_at), "duration": _duration(instance, now), "participants": participants,
        "has_recording": bool(instance.recording_started_at), "has_video": flags.get("has_video", False),
        "has_screen_share": flags.get("has_screen_share", False),
    }
    if instance.ended_at:
        body["end_time"] = fmt(instance.ended_at)
    body.update({name: flags[name] for name in ("audio_quality", "video_quality", "screen_share_quality") if name in flags})
    if tracking_fields:
        body["tracking_fields"] = [{"field": str(f.get("field", ""))[:64], "value": str(f.get("value", ""))[:256]}
                                   for f in meeting.tracking_fields or [] if isinstance(f, dict)]
    return body


def participant_counts(instances) -> dict[int, int]:
    rows = (Participant.objects.filter(instance__in=instances, joined_at__isnull=False)
            .values("instance_id").annotate(n=Count("id")).order_by())
    return {row["instance_id"]: row["n"] for row in rows}


def _person(person: Participant, account_id: int) -> dict:
    user = person.user
    body = {"id": user.public_id if user else "", "user_id": person.key, "user_name": person.name,
            "join_time": fmt(person.joined_at)}
    if person.left_at:
        body["leave_time"] = fmt(person.left_at)
    if user is not None and user.account_id == account_id:
        body["email"] = person.email or user.email
    return body


def clients_of(people) -> dict[str, QosClient]:
    """The device facts the clients reported (qos.ingest), by media participant id."""
    ids = [p.media_participant_id for p in people if p.media_participant_id]
    return {str(c.participant_id): c for c in QosClient.objects.filter(participant_id__in=ids)}


# Zoom's vocabularies for these fields (the contract's enums): other values are left out.
ZOOM_DEVICES = {"Windows", "Mac", "iOS", "Android"}
ZOOM_NETWORKS = {"Wired", "Wifi", "Cellular", "Others"}


def device_fields(body: dict, client: QosClient | None, network: bool) -> dict:
    """Zoom's device fields, where our client's report fits Zoom's vocabulary: `device` (Windows, Mac,
    iOS, Android; a Linux or unknown browser has none), `version` (for us, the browser and its
    version) and, in the participants list, `network_type` (absent when the browser does not tell).
    A phone caller has none (no client reports them)."""
    if client is not None:
        if client.device in ZOOM_DEVICES:
            body["device"] = client.device
        if client.version:
            body["version"] = client.version
        if network and client.network_type in ZOOM_NETWORKS:
            body["network_type"] = client.network_type
    return body


def participant_object(person: Participant, instance: Instance, rows: list[dict],
                       client: QosClient | None = None) -> dict:
    body = device_fields(_person(person, instance.meeting.account_id), client, network=True)
    body["role"] = "host" if person.role == Participant.Role.HOST else "attendee"
    body["status"] = "in_meeting"
    body.update(reports.quality_of(rows))
    return body


def participant_qos_object(person: Participant, instance: Instance, rows: list[dict],
                           client: QosClient | None = None) -> dict:
    body = device_fields(_person(person, instance.meeting.account_id), client, network=False)
    body.pop("email", None)  # not part of the participant QoS object
    body["user_qos"] = reports.user_qos(rows)
    return body


def participant_summary_object(person: Participant, instance: Instance, rows: list[dict]) -> dict:
    user = person.user
    body = {"id": user.public_id if user else "", "participant_id": person.key, "user_name": person.name,
            "qos": reports.summary(rows)}
    if user is not None and user.account_id == instance.meeting.account_id:
        body["email"] = person.email or user.email
    return body


def session_user_object(person: Participant, rows: list[dict]) -> dict:
    body = {"id": person.media_participant_id, "name": person.name, "join_time": fmt(person.joined_at),
            "user_qos": reports.user_qos(rows, reports.VIDEOSDK_JITTER)}
    if person.left_at:
        body["leave_time"] = fmt(person.left_at)
    return body


def session_summary_object(person: Participant, rows: list[dict]) -> dict:
    return {"id": person.media_participant_id, "name": person.name, "user_key": "",
            "qos": reports.summary(rows, reports.VIDEOSDK_JITTER)}
