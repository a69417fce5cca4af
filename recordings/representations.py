"""Zoom's recording bodies (`GET /v2/meetings/{id}/recordings`, the user list, webhook payloads).

`play_url` and `download_url` are signed and expire (`recordings.access`). Only completed,
untrashed files are listed (trashed ones with `trash=true`). TIMELINE files are kept and offered on
the pages but not listed here: the Zoom reference's `file_type` enum does not include TIMELINE.
"""

from __future__ import annotations

from meetings.representations import fmt
from recordings import access
from recordings.models import CloudRecording, RecordingFile

LISTED_FILE_TYPES = ("MP4", "M4A", "TB", "CHAT", "TRANSCRIPT")


def listed_files(recording: CloudRecording, trashed: bool = False) -> list[RecordingFile]:
    """The recording's `recording_files`: completed, of a listed type, not one participant's audio."""
    files = recording.files.filter(status=RecordingFile.Status.COMPLETED, file_type__in=LISTED_FILE_TYPES,
                                   participant_id="")
    return list(files.filter(trashed_at__isnull=not trashed))


def participant_audio(recording: CloudRecording, trashed: bool = False) -> list[RecordingFile]:
    """Each participant's own audio (`participant_audio_files`), by name."""
    files = recording.files.filter(status=RecordingFile.Status.COMPLETED, trashed_at__isnull=not trashed)
    return sorted(files.exclude(participant_id=""), key=lambda f: (f.participant_name.lower(), f.participant_id))


def participant_file_json(file: RecordingFile) -> dict:
    return {
        "id": str(file.pk),
        "recording_start": fmt(file.recording_start),
        "recording_end": fmt(file.recording_end),
        "file_name": f"Audio only - {file.participant_name}",
        "file_type": file.file_type,
        "file_size": file.file_size,
        "play_url": access.play_url(file),
        "download_url": access.download_url(file),
        "status": file.status,
    }


def file_json(file: RecordingFile, *, trashed: bool = False) -> dict:
    body = {
        "id": str(file.pk),
        "meeting_id": file.recording.meeting_uuid,
        "recording_start": fmt(file.recording_start),
        "recording_end": fmt(file.recording_end),
        "file_type": file.file_type,
        "file_extension": file.file_extension,
        "file_size": file.file_size,
        "play_url": access.play_url(file),
        "download_url": access.download_url(file),
        "status": file.status,
        "recording_type": file.recording_type,
    }
    if trashed and file.trashed_at:
        body["deleted_time"] = fmt(file.trashed_at)
    return body


def recording_json(recording: CloudRecording, *, trashed: bool = False, files=None) -> dict:
    """`files`: the files to show (default: every listed one, and each participant's audio)."""
    if files is None:
        files = listed_files(recording, trashed) + participant_audio(recording, trashed)
    voices = [f for f in files if f.participant_id]
    files = [f for f in files if not f.participant_id]
    body = {
        "uuid": recording.meeting_uuid,
        "id": recording.meeting_id,
        "account_id": recording.account.public_id,
        "host_id": recording.host.public_id,
        "topic": recording.topic,
        "type": str(recording.meeting_type),
        "start_time": fmt(recording.start_time),
        "timezone": recording.timezone,
        "duration": recording.duration,
        "total_size": sum(f.file_size for f in files + voices),
        "recording_count": len(files) + len(voices),
        "share_url": access.share_url(recording),
        "recording_files": [file_json(f, trashed=trashed) for f in files],
        "password": recording.password,
        "recording_play_passcode": access.play_passcode(recording),
    }
    if voices:  # Zoom sends it only when the account records each participant's audio
        body["participant_audio_files"] = [participant_file_json(f) for f in voices]
    return body


def session_json(recording: CloudRecording, *, trashed: bool = False, files=None) -> dict:
    """A Video SDK session's recording (seed 4.2.7)."""
    files = listed_files(recording, trashed) if files is None else files
    body_files = []
    for file in files:
        item = file_json(file, trashed=trashed)
        item.pop("meeting_id")
        item.pop("play_url")
        body_files.append(item)
    return {
        "session_id": recording.meeting_uuid,
        "session_name": recording.topic,
        "start_time": fmt(recording.start_time),
        "duration": recording.duration,
        "total_size": sum(f.file_size for f in files),
        "recording_count": len(files),
        "recording_files": body_files,
    }
