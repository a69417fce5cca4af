"""Collecting a meeting instance's cloud recording files from the media engine.

The recordings app holds every recording from its start (`mind.recording_retention.COLLECTION`),
so the engine keeps the media after the meeting ends. `collect(conference_id)` (run by the Celery
task `recordings.tasks.collect_recording`, any number of times) makes and stores each file:

| file_type | recording_type | from |
|---|---|---|
| MP4 | per the layout (`gallery_view`, `active_speaker`, `shared_screen_with_speaker_view`) | the composed MP4 |
| M4A | `audio_only` | the MP4's audio, taken out by ffmpeg (no re-encoding) |
| TB | `thumbnail` | the composed JPEG |
| TIMELINE | `timeline` | who joined, left and spoke (meetings participants, transcript) |
| CHAT | `chat_file` | the meeting's persistent chat, when there is any |
| TRANSCRIPT | `audio_transcript` | the engine's final transcript, as WebVTT with speakers' names |
| M4A, one per participant | `audio_only` + the participant | the final pass's `<participantId>.m4a`, when the account's `record_audio_file_each_participant` is on (Zoom's `participant_audio_files`) |

Collection starts once the meeting is over (the conference deleted), as Zoom processes a cloud
recording after the meeting. Each file row goes `processing` → `completed` once its bytes are stored
and verified (SHA-256).
Idempotent: a file already stored for the same recording segments is not made again; the stored
name is derived from the content's checksum, so a worker killed after storing but before
recording it reuses that copy on the next run instead of leaving a duplicate. The hold is released
once every file (the final transcript included) is stored.
"""

from __future__ import annotations

import logging
import subprocess
from datetime import datetime
from datetime import timezone as dt_timezone
from pathlib import Path
from typing import cast

from django.db import transaction
from django.utils import timezone

from mind import recording_retention as retention
from mind.models import RecordingMediaState
from recordings import formats, storage
from recordings.models import AccountRecordingSettings, CloudRecording, RecordingFile

logger = logging.getLogger(__name__)

# Outcomes of collect(): what the task does next.
UNKNOWN = "unknown"  # no such recording (never started, or already released)
RECORDING = "recording"  # the meeting (conference) is still on: its end brings the recording back
COMPOSING = "composing"  # the engine is composing: try again after its Retry-After
TRANSCRIPT_PENDING = "transcript-pending"  # everything but the final transcript is stored
COLLECTED = "collected"  # every file is stored (the hold is released once the conference is gone)
NOT_OURS = "not-ours"  # neither a meeting instance nor a Video SDK session we collect

RECORDING_TYPE_FOR_LAYOUT = {
    "mosaic": "gallery_view",
    "selector": "active_speaker",
    "presenting_mosaic": "shared_screen_with_speaker_view",
    "presenting_selector": "shared_screen_with_speaker_view",
}
CONTENT_TYPES = {"MP4": "video/mp4", "M4A": "audio/mp4", "TB": "image/jpeg", "TIMELINE": "application/json",
                 "CHAT": "text/plain; charset=utf-8", "TRANSCRIPT": "text/vtt; charset=utf-8"}
EXTENSIONS = {"MP4": "MP4", "M4A": "M4A", "TB": "JPG", "TIMELINE": "JSON", "CHAT": "TXT", "TRANSCRIPT": "VTT"}
FFMPEG_TIMEOUT = 1800


def _instance_for(conference_id):
    from meetings.models import Instance

    return (Instance.objects.filter(conference_id=str(conference_id))
            .select_related("meeting", "meeting__host", "meeting__account").first())


def _ms_to_datetime(ms: int | None) -> datetime:
    if ms is None:
        return timezone.now()
    return datetime.fromtimestamp(ms / 1000, tz=dt_timezone.utc)


def session_id(conference_id) -> str:
    """A Video SDK session_id: the conference id's 16 bytes in base64 (Zoom's form)."""
    import base64
    import uuid

    return base64.b64encode(uuid.UUID(str(conference_id)).bytes).decode()


def _session_recording(conference_id, snapshot) -> CloudRecording | None:
    """A conference an application made through the Mind API is a Video SDK session; its recording
    belongs to the account VIDEOSDK_ACCOUNT names (unset: sessions are not collected)."""
    from django.conf import settings

    from accounts.models import Account

    account = Account.objects.filter(public_id=settings.VIDEOSDK_ACCOUNT).first() if settings.VIDEOSDK_ACCOUNT else None
    owner = account.users.filter(role="owner").order_by("pk").first() if account else None
    if account is None or owner is None:
        return None
    started = _ms_to_datetime(snapshot.started_at_ms) if snapshot and snapshot.started_at_ms else timezone.now()
    recording, _ = CloudRecording.objects.get_or_create(conference_id=conference_id, defaults={
        "kind": CloudRecording.Kind.SESSION, "account": account, "host": owner, "meeting_id": None,
        "meeting_uuid": session_id(conference_id), "meeting_type": 2, "topic": (snapshot.name if snapshot else "")[:200],
        "start_time": started,
    })
    return recording


def recording_for(conference_id, snapshot=None) -> CloudRecording | None:
    """The instance's (or Video SDK session's) CloudRecording, made on first sight; None for others."""
    existing = CloudRecording.objects.filter(conference_id=conference_id).first()
    if existing is not None:
        return existing
    instance = _instance_for(conference_id)
    if instance is None:
        return _session_recording(conference_id, snapshot)
    meeting = instance.meeting
    started = _ms_to_datetime(snapshot.started_at_ms) if snapshot and snapshot.started_at_ms else instance.started_at
    recording, _ = CloudRecording.objects.get_or_create(conference_id=conference_id, defaults={
        "account": meeting.account, "host": meeting.host, "instance": instance, "meeting_id": meeting.pk,
        "meeting_uuid": instance.uuid, "meeting_type": meeting.type, "topic": meeting.topic,
        "timezone": meeting.timezone, "start_time": started,
    })
    return recording


def speaker_names(recording: CloudRecording, snapshot) -> dict[str, str]:
    """Media participant id -> the name people had in the meeting (the engine's name otherwise)."""
    names = dict(snapshot.participants)
    if recording.instance is not None:
        for media_id, name in recording.instance.participants.exclude(media_participant_id="").values_list(
                "media_participant_id", "name"):
            names[str(media_id)] = name
    return names


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, timeout=FFMPEG_TIMEOUT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{args[0]} exited with {result.returncode}: {result.stderr.strip()[-500:]}")


def _has_audio(path: Path) -> bool:
    result = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a", "-show_entries", "stream=index",
                             "-of", "csv=p=0", str(path)], capture_output=True, text=True, timeout=60, check=False)
    return bool(result.stdout.strip())


def _store_file(recording: CloudRecording, file_type: str, recording_type: str, segments: int,
                start: datetime, end: datetime, make, participant: tuple[str, str] = ("", "")) -> RecordingFile:
    """Makes (with `make(target_path) -> None`) and stores one file, unless it is stored already.
    `participant` (id, name) marks one participant's own audio."""
    row, _ = RecordingFile.objects.get_or_create(
        recording=recording, recording_type=recording_type, participant_id=participant[0],
        defaults={"file_type": file_type, "file_extension": EXTENSIONS[file_type], "participant_name": participant[1],
                  "content_type": CONTENT_TYPES[file_type], "recording_start": start, "recording_end": end})
    if row.status == RecordingFile.Status.COMPLETED and row.segments == segments:
        return row
    with storage.staging_dir() as work:
        target = work / f"file.{EXTENSIONS[file_type].lower()}"
        make(target)
        checksum = storage.sha256_of(target)
        name = f"{recording.pk}/{row.pk}-{checksum[:20]}.{EXTENSIONS[file_type].lower()}"
        backend = storage.storage()
        if backend.exists(name) and storage.stored_checksum(name) == checksum:
            stored, size = name, target.stat().st_size  # stored by a run that died before recording it
        else:
            stored, size = storage.store(target, name, checksum)
    replaced = ""
    with transaction.atomic():
        row = RecordingFile.objects.select_for_update().get(pk=row.pk)
        if row.status == RecordingFile.Status.COMPLETED and row.segments == segments and row.storage_name != stored:
            replaced = stored  # another run finished first: ours is the spare copy
        else:
            if row.storage_name and row.storage_name != stored:
                replaced = row.storage_name  # an earlier, shorter composition of a resumed recording
            row.storage_name, row.file_size, row.checksum = stored, size, checksum
            row.status, row.segments = RecordingFile.Status.COMPLETED, segments
            row.recording_start, row.recording_end = start, end
            row.save()
    if replaced:
        transaction.on_commit(lambda: storage.delete(replaced))
    return row


def collect(conference_id) -> str:
    """Stores what is ready of the recording; returns what the task does next (see the outcomes)."""
    from django.conf import settings

    if settings.MIND_API_URL:  # the engine is a remote Mind: fetched over HTTP (recordings.remote)
        from recordings import remote

        return remote.collect(conference_id)
    snapshot = retention.snapshot(conference_id)
    if snapshot is None:
        return UNKNOWN
    recording = recording_for(conference_id, snapshot)
    if recording is None:
        if not snapshot.conference_exists:
            retention.release(conference_id, retention.COLLECTION)
        return NOT_OURS
    if snapshot.conference_exists:
        # As Zoom does, a recording is processed once its meeting (or session) is over: a pause is
        # a stop to the engine, and the host may record again before the end.
        return RECORDING
    if snapshot.media_state == RecordingMediaState.PENDING:
        _set_progress(recording, 10)
        return COMPOSING
    media = None
    if snapshot.media_state == RecordingMediaState.READY:
        mp4 = retention.composed_file(conference_id, "video/mp4")
        if mp4 is None:
            return COMPOSING  # READY but the file not visible yet (another host's disk?): try again
        jpeg = retention.composed_file(conference_id, "image/jpeg")
        media = ComposedMedia(lambda: mp4, (lambda: jpeg) if jpeg is not None else None)
    outcome = store_files(recording, snapshot, media, lambda: retention.participant_audio_files(conference_id))
    if outcome == COLLECTED:
        retention.release(conference_id, retention.COLLECTION)
    return outcome


class ComposedMedia:
    """Where the composed MP4 and JPEG are: each a function returning a local path, called only when
    a file still has to be made from it (a remote Mind's are downloaded then)."""

    def __init__(self, mp4, jpeg=None):
        self._mp4, self._jpeg = mp4, jpeg
        self._paths = {}

    def mp4(self) -> Path:
        if "mp4" not in self._paths:
            self._paths["mp4"] = self._mp4()
        return self._paths["mp4"]

    def jpeg(self) -> Path | None:
        if self._jpeg is None:
            return None
        if "jpeg" not in self._paths:
            self._paths["jpeg"] = self._jpeg()
        return self._paths["jpeg"]


def store_files(recording: CloudRecording, snapshot, media: ComposedMedia | None, voices) -> str:
    """Stores every file of a composed recording (`media` None: nothing was published, only the text
    files); `voices()` -> [(participant id, M4A path)] for per-participant audio. COLLECTED, or
    TRANSCRIPT_PENDING while the final transcript is not there yet."""
    segments = len(snapshot.segments)
    start, end = _ms_to_datetime(snapshot.started_at_ms), _ms_to_datetime(snapshot.stopped_at_ms)
    names = speaker_names(recording, snapshot)
    if media is not None:
        video_type = RECORDING_TYPE_FOR_LAYOUT.get(snapshot.layout, "gallery_view")
        _store_file(recording, "MP4", video_type, segments, start, end,
                    lambda target: storage.copy_with_checksum(media.mp4(), target))
        _set_progress(recording, 50)
        if _stored(recording, "audio_only", segments) or _has_audio(media.mp4()):
            _store_file(recording, "M4A", "audio_only", segments, start, end, lambda target: _run(
                ["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(media.mp4()), "-vn", "-c:a", "copy",
                 "-movflags", "+faststart", "-f", "ipod", str(target)]))
        if _stored(recording, "thumbnail", segments) or media.jpeg() is not None:
            _store_file(recording, "TB", "thumbnail", segments, start, end,
                        # a stored thumbnail is not made again: else jpeg() was checked above
                        lambda target: storage.copy_with_checksum(cast(Path, media.jpeg()), target))
        _set_progress(recording, 70)
    # FAILED (nothing was published): no media files, but the text files below still tell what happened.
    timeline = _timeline_events(recording, snapshot, names)
    if timeline:
        _store_file(recording, "TIMELINE", "timeline", segments, start, end,
                    lambda target: target.write_text(formats.timeline_json(timeline)))
    if snapshot.messages:
        origin = snapshot.started_at_ms or int(start.timestamp() * 1000)
        _store_file(recording, "CHAT", "chat_file", segments, start, end,
                    lambda target: target.write_text(formats.chat_text(snapshot.messages, names, origin,
                                                                       {snapshot.conference_id})))
    if not snapshot.transcript_complete:
        _set_progress(recording, 90)
        return TRANSCRIPT_PENDING
    if snapshot.utterances:
        _store_file(recording, "TRANSCRIPT", "audio_transcript", segments, start, end,
                    lambda target: target.write_text(formats.webvtt(snapshot.utterances, names)))
    # The final pass (done once the transcript is complete) wrote each participant's own audio.
    if AccountRecordingSettings.for_account(recording.account_id).record_audio_file_each_participant:
        for participant_id, path in voices():
            _store_file(recording, "M4A", "audio_only", segments, start, end,
                        lambda target, path=path: storage.copy_with_checksum(path, target),
                        participant=(participant_id, names.get(participant_id, formats.UNKNOWN_SPEAKER)[:200]))
    _finish(recording, snapshot, segments, start, end)
    return COLLECTED


def _stored(recording: CloudRecording, recording_type: str, segments: int) -> bool:
    """Whether that file is stored already for these segments (nothing to fetch for it)."""
    return RecordingFile.objects.filter(recording=recording, recording_type=recording_type, participant_id="",
                                        status=RecordingFile.Status.COMPLETED, segments=segments).exists()


def _set_progress(recording: CloudRecording, percent: int) -> None:
    if recording.status == CloudRecording.Status.PROCESSING and recording.progress != percent:
        CloudRecording.objects.filter(pk=recording.pk, status=CloudRecording.Status.PROCESSING).update(progress=percent)


def _timeline_events(recording: CloudRecording, snapshot, names: dict[str, str]) -> list[dict]:
    origin = snapshot.started_at_ms
    if origin is None:
        return []
    end = snapshot.stopped_at_ms or origin
    events = []
    if recording.instance is not None:
        for person in recording.instance.participants.exclude(joined_at=None):
            user_id = person.media_participant_id or person.key
            for event, when in (("joined", person.joined_at), ("left", person.left_at)):
                if when is None:
                    continue
                ms = int(when.timestamp() * 1000) - origin
                events.append({"ms": min(max(ms, 0), end - origin), "event": event, "username": person.name,
                               "user_id": user_id})
    for utterance in snapshot.utterances:
        speaker = str(utterance.get("participantId"))
        events.append({"ms": int(utterance["timestamp"]), "event": "spoke",
                       "username": names.get(speaker, formats.UNKNOWN_SPEAKER), "user_id": speaker})
    return events


def _finish(recording: CloudRecording, snapshot, segments: int, start: datetime, end: datetime) -> None:
    """Marks the recording completed (once per composition) and sends recording.completed."""
    from recordings import events

    with transaction.atomic():
        row = CloudRecording.objects.select_for_update().get(pk=recording.pk)
        if row.status == CloudRecording.Status.COMPLETED and row.collected_segments == segments:
            return
        row.status, row.progress, row.collected_segments = CloudRecording.Status.COMPLETED, 100, segments
        row.completed_at = timezone.now()
        row.start_time = start
        row.duration = max(1, round((end - start).total_seconds() / 60)) if end > start else 0
        row.save()
        from recordings.representations import listed_files

        if listed_files(row):  # nothing was published (composition failed): nothing to announce
            events.recording_completed(row)


def outstanding() -> list[str]:
    """Conferences whose recording is still to be collected (the sweep collects them again): those
    the recordings app holds in the embedded engine or, with a remote Mind, the recorded instances of
    the last week whose recording is not complete (their conference waits for collection)."""
    from datetime import timedelta

    from django.conf import settings

    from meetings.models import Instance
    from mind.models import RecordingHold

    if settings.MIND_API_URL:  # no embedded engine here: its holds are another deployment's
        recent = timezone.now() - timedelta(days=7)
        return [str(cid) for cid in Instance.objects.filter(ended_at__gte=recent).exclude(conference_id="")
                .exclude(recording_state=Instance.Recording.IDLE)
                .exclude(cloud_recording__status=CloudRecording.Status.COMPLETED)
                .values_list("conference_id", flat=True)]
    return [str(pk) for pk in RecordingHold.objects.filter(holder=retention.COLLECTION)
            .values_list("recording_id", flat=True)]


RETRY_SECONDS = {COMPOSING: 5, TRANSCRIPT_PENDING: 30}
