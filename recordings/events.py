"""Recording events through the webhooks app's sender (queued on commit), and the host's
"your recording is ready" e-mail (recording setting `send_email_to_host`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from recordings.models import CloudRecording
from webhooks import events as webhooks


def _object(recording: CloudRecording, files=None, trashed: bool = False) -> dict:
    from recordings import representations

    body = representations.recording_json(recording, files=files, trashed=trashed)
    body["host_email"] = recording.host.email
    return body


def recording_completed(recording: CloudRecording) -> None:
    webhooks.emit(recording.account, "recording.completed", _object(recording))
    if recording.settings.get("send_email_to_host", True):
        transaction.on_commit(lambda: _email_host(recording))


def recording_trashed(recording: CloudRecording, files) -> None:
    webhooks.emit(recording.account, "recording.trashed", _object(recording, files=files, trashed=True))


def recording_deleted(recording: CloudRecording, body: dict) -> None:
    webhooks.emit(recording.account, "recording.deleted", body)


def recording_recovered(recording: CloudRecording, files) -> None:
    webhooks.emit(recording.account, "recording.recovered", _object(recording, files=files))


def deleted_object(recording: CloudRecording, files) -> dict:
    """The payload of recording.deleted, made before the files go."""
    return _object(recording, files=files, trashed=True)


def _email_host(recording: CloudRecording) -> None:
    page = f"{settings.SITE_ROOT}/recordings/{recording.pk}/"
    send_mail(
        f"Your cloud recording is ready: {recording.topic or recording.meeting_id}",
        f"The recording of {recording.topic or 'your meeting'} ({recording.start_time:%Y-%m-%d %H:%M} UTC) "
        f"is ready.\n\nWatch, share or download it: {page}\n",
        None, [recording.host.email], fail_silently=True,
    )
