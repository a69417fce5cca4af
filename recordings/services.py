"""Every change to cloud recordings: find, trash, recover, delete for good, share settings, trash expiry.

Visibility: a user sees the recordings they host; an `:admin` scope (or an account admin on the
pages) sees the whole account's. Another account's recordings are always "not found".
Deleting goes to the trash first (`action=trash`, the default); `action=delete` deletes for good
(the stored bytes too). Trash older than `RECORDINGS_TRASH_DAYS` is emptied by a beat task.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import status

from config.api import ZoomAPIError, invalid_parameter, not_found
from recordings import access, events, storage
from recordings.models import CloudRecording, RecordingFile

NO_RECORDING = 3301  # Zoom: "There is no recording for this meeting."
RECORDING_NOT_COMPLETED = 3303
UUID_RE = re.compile(r"^[A-Za-z0-9+/=_-]{8,64}$")


def no_recording() -> ZoomAPIError:
    return not_found(NO_RECORDING, "There is no recording for this meeting.")


def visible_recordings(caller, *, admin: bool, kind: str | None = CloudRecording.Kind.MEETING):
    recordings = CloudRecording.objects.filter(account_id=caller.account_id)
    if kind:
        recordings = recordings.filter(kind=kind)
    if not admin:
        recordings = recordings.filter(host=caller)
    return recordings.select_related("account", "host")


def find_recording(caller, meeting_id_or_uuid: str, *, admin: bool) -> CloudRecording:
    """By meeting number (its latest recorded instance) or by instance UUID (double-encoded or not)."""
    from urllib.parse import unquote

    text = (meeting_id_or_uuid or "").strip()
    recordings = visible_recordings(caller, admin=admin)
    if text.isdigit() and text.isascii():
        found = recordings.filter(meeting_id=int(text)).order_by("-start_time").first()
    else:
        while "%" in text:
            decoded = unquote(text)
            if decoded == text:
                break
            text = decoded
        if not UUID_RE.match(text):
            raise invalid_parameter("meetingId: Invalid meeting ID or UUID.")
        found = recordings.filter(meeting_uuid=text).first()
    if found is None:
        raise no_recording()
    return found


def month_range(raw_from: str | None, raw_to: str | None, today: date) -> tuple[date, date]:
    """Zoom's `from`/`to` for recordings: dates, `to` defaults to today and `from` to a day before;
    at most one month apart."""

    def parse(name, raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise invalid_parameter(f"{name}: Must be a date such as 2024-03-01.") from None

    end = parse("to", raw_to) if raw_to else today
    start = parse("from", raw_from) if raw_from else end - timedelta(days=1)
    if start > end:
        raise invalid_parameter("from: The start date must not be after the end date.")
    if end > _add_month(start):
        raise invalid_parameter("The date range must be at most one month (from / to).")
    return start, end


def _add_month(day: date) -> date:
    import calendar

    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- trash, recover, delete -------------------------------------------------------------------------


def trash_recording(recording: CloudRecording) -> None:
    now = timezone.now()
    with transaction.atomic():
        files = list(recording.files.filter(trashed_at__isnull=True, status=RecordingFile.Status.COMPLETED))
        if not files and recording.trashed_at:
            raise no_recording()
        RecordingFile.objects.filter(pk__in=[f.pk for f in files]).update(trashed_at=now)
        recording.trashed_at = now
        recording.save(update_fields=["trashed_at"])
        for file in files:
            file.trashed_at = now
        events.recording_trashed(recording, _listed(files))


def trash_file(recording: CloudRecording, file: RecordingFile) -> None:
    if file.trashed_at:
        raise no_recording()
    with transaction.atomic():
        file.trashed_at = timezone.now()
        file.save(update_fields=["trashed_at"])
        if not recording.files.filter(trashed_at__isnull=True).exists():
            recording.trashed_at = file.trashed_at
            recording.save(update_fields=["trashed_at"])
        events.recording_trashed(recording, _listed([file]))


def delete_recording(recording: CloudRecording) -> None:
    """For good: the rows and the stored bytes (after the commit)."""
    if recording.status != CloudRecording.Status.COMPLETED:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, RECORDING_NOT_COMPLETED,
                           "You can not delete an uncompleted meeting.")
    with transaction.atomic():
        files = list(recording.files.all())
        body = events.deleted_object(recording, _listed(files))
        names = [f.storage_name for f in files]
        events.recording_deleted(recording, body)
        recording.delete()
        transaction.on_commit(partial(storage.delete_all, names))


def delete_file(recording: CloudRecording, file: RecordingFile) -> None:
    if recording.status != CloudRecording.Status.COMPLETED:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, RECORDING_NOT_COMPLETED,
                           "You can not delete an uncompleted meeting.")
    with transaction.atomic():
        body = events.deleted_object(recording, _listed([file]))
        name = file.storage_name
        events.recording_deleted(recording, body)
        file.delete()
        if not recording.files.exists():
            recording.delete()
        transaction.on_commit(lambda: storage.delete(name))


def recover_recording(recording: CloudRecording) -> None:
    with transaction.atomic():
        files = list(recording.files.filter(trashed_at__isnull=False))
        if not files and not recording.trashed_at:
            raise no_recording()
        RecordingFile.objects.filter(pk__in=[f.pk for f in files]).update(trashed_at=None)
        recording.trashed_at = None
        recording.save(update_fields=["trashed_at"])
        for file in files:
            file.trashed_at = None
        events.recording_recovered(recording, _listed(files))


def recover_file(recording: CloudRecording, file: RecordingFile) -> None:
    if not file.trashed_at:
        raise no_recording()
    with transaction.atomic():
        file.trashed_at = None
        file.save(update_fields=["trashed_at"])
        if recording.trashed_at:
            recording.trashed_at = None
            recording.save(update_fields=["trashed_at"])
        events.recording_recovered(recording, _listed([file]))


def _listed(files):
    from recordings.representations import LISTED_FILE_TYPES

    return [f for f in files if f.file_type in LISTED_FILE_TYPES]


def empty_trash(now: datetime | None = None) -> int:
    """Deletes for good every recording and file trashed more than RECORDINGS_TRASH_DAYS ago."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RECORDINGS_TRASH_DAYS)
    count = 0
    for file in RecordingFile.objects.filter(trashed_at__lte=cutoff).select_related("recording"):
        with transaction.atomic():
            name = file.storage_name
            recording = file.recording
            events.recording_deleted(recording, events.deleted_object(recording, _listed([file])))
            file.delete()
            transaction.on_commit(partial(storage.delete, name))
            count += 1
    CloudRecording.objects.filter(trashed_at__lte=cutoff, files__isnull=True).delete()
    return count


def auto_delete_due(today: date | None = None) -> int:
    """Trashes recordings whose `auto_delete` setting is on and whose `auto_delete_date` has come."""
    today = today or timezone.now().date()
    count = 0
    for recording in CloudRecording.objects.filter(trashed_at__isnull=True, settings__auto_delete=True):
        raw = recording.settings.get("auto_delete_date") or ""
        try:
            due = date.fromisoformat(raw)
        except ValueError:
            continue
        if due <= today and recording.files.filter(trashed_at__isnull=True).exists():
            trash_recording(recording)
            count += 1
    return count


# --- settings -----------------------------------------------------------------------------------------

SETTING_TYPES = {
    "share_recording": str, "recording_authentication": bool, "authentication_option": str,
    "authentication_domains": str, "viewer_download": bool, "password": str, "on_demand": bool,
    "approval_type": int, "send_email_to_host": bool, "show_social_share_buttons": bool, "topic": str,
    "auto_delete": bool, "auto_delete_date": str,
}


def settings_json(recording: CloudRecording) -> dict:
    body = {name: access.share_setting(recording, name) for name in access.DEFAULT_SHARE_SETTINGS}
    body["password"] = recording.password
    body["topic"] = recording.topic
    if not body["auto_delete_date"]:
        body.pop("auto_delete_date")
    return body


def update_settings(recording: CloudRecording, data: dict) -> None:
    if not isinstance(data, dict):
        raise invalid_parameter("body: The request body must be a JSON object.")
    changes = {}
    for name, kind in SETTING_TYPES.items():
        if name not in data:
            continue
        value = data[name]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)) or \
                kind is not int and not isinstance(value, kind):
            raise invalid_parameter(f"{name}: Must be a {kind.__name__.replace('str', 'string').replace('bool', 'boolean').replace('int', 'integer')}.")
        changes[name] = value
    if "share_recording" in changes and changes["share_recording"] not in ("publicly", "internally", "none"):
        raise invalid_parameter("share_recording: Must be publicly, internally or none.")
    if "approval_type" in changes and changes["approval_type"] not in (0, 1, 2):
        raise invalid_parameter("approval_type: Must be 0, 1 or 2.")
    if changes.get("on_demand"):
        # The seed: on-demand (registration to view) recordings are not offered.
        raise invalid_parameter("on_demand: On-demand recordings are not supported.")
    if changes.get("approval_type") in (0, 1):
        raise invalid_parameter("approval_type: Registration for recordings is not supported; use 2.")
    if "password" in changes:
        password = changes.pop("password")
        if password and not (8 <= len(password) <= 10 and re.search(r"[A-Za-z]", password)
                             and re.search(r"[0-9]", password)):
            raise invalid_parameter("password: 8 to 10 characters, with letters and numbers.")
        recording.password = password
    if "auto_delete_date" in changes and changes["auto_delete_date"]:
        try:
            date.fromisoformat(changes["auto_delete_date"])
        except ValueError:
            raise invalid_parameter("auto_delete_date: Must be a date such as 2024-03-01.") from None
    if "topic" in changes:
        topic = changes.pop("topic").strip()
        if len(topic) > 200:
            raise invalid_parameter("topic: At most 200 characters.")
        if topic:
            recording.topic = topic
    recording.settings = {**recording.settings, **changes}
    recording.save(update_fields=["settings", "password", "topic"])


def file_of(recording: CloudRecording, recording_id: str) -> RecordingFile:
    import uuid as uuid_module

    try:
        file_id = uuid_module.UUID(str(recording_id))
    except ValueError:
        raise no_recording() from None
    file = recording.files.filter(pk=file_id).first()
    if file is None:
        raise no_recording()
    return file


# --- Video SDK sessions -----------------------------------------------------------------------------


def session_recordings(caller):
    """Video SDK session recordings belong to the account, not to one user."""
    return CloudRecording.objects.filter(account_id=caller.account_id, kind=CloudRecording.Kind.SESSION
                                         ).select_related("account", "host")


def find_session_recording(caller, session_id: str) -> CloudRecording:
    from urllib.parse import unquote

    text = (session_id or "").strip()
    while "%" in text:
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    if not UUID_RE.match(text):
        raise invalid_parameter("sessionId: Invalid session ID.")
    found = session_recordings(caller).filter(meeting_uuid=text).first()
    if found is None:
        raise no_recording()
    return found


# --- analytics ------------------------------------------------------------------------------------------


def count_access(recording: CloudRecording, use: str) -> None:
    from django.db.models import F

    from recordings.models import RecordingAccessDay

    field = "downloads" if use == "download" else "views"
    today = timezone.now().date()
    RecordingAccessDay.objects.get_or_create(recording=recording, date=today)
    RecordingAccessDay.objects.filter(recording=recording, date=today).update(**{field: F(field) + 1})


def analytics_summary(recording: CloudRecording, start: date, end: date) -> list[dict]:
    rows = {row.date: row for row in recording.access_days.filter(date__gte=start, date__lte=end)}
    days, day = [], start
    while day <= end:
        row = rows.get(day)
        days.append({"date": day.isoformat(), "views_total_count": row.views if row else 0,
                     "downloads_total_count": row.downloads if row else 0})
        day += timedelta(days=1)
    return days
