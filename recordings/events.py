"""Recording events through the webhooks app's sender (queued on commit), and the host's
"your recording is ready" e-mail (recording setting `send_email_to_host`, and the host's own choice:
notifications.services.send_ready_notice)."""

from __future__ import annotations

from notifications.services import send_ready_notice
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
        send_ready_notice(recording.host, "recording", recording.topic or str(recording.meeting_id),
                          f"/recordings/{recording.pk}/")


def recording_trashed(recording: CloudRecording, files) -> None:
    webhooks.emit(recording.account, "recording.trashed", _object(recording, files=files, trashed=True))


def recording_deleted(recording: CloudRecording, body: dict) -> None:
    webhooks.emit(recording.account, "recording.deleted", body)


def recording_recovered(recording: CloudRecording, files) -> None:
    webhooks.emit(recording.account, "recording.recovered", _object(recording, files=files))


def deleted_object(recording: CloudRecording, files) -> dict:
    """The payload of recording.deleted, made before the files go."""
    return _object(recording, files=files, trashed=True)
