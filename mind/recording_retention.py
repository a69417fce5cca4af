"""Recording media outlives its conference while anyone holds it.

Deleting a conference (the Mind API's DELETE, a meeting ending, expiry) deletes its rows. Its
recording must not go with it: the recordings app still has to copy the files, and the transcript's
final pass still has to run over the recorded audio. So the media is *held*:

- When a conference's recording first starts, the engine creates a `RetainedRecording` and sends
  `mind.signals.recording_retained(conference_id)` inside that same transaction. Whoever needs the
  media later takes a named hold there with `take(conference_id, holder)`.
- Deleting the conference while holds remain keeps the .mjr files and the composed files where
  they are, closes a recording still running, still composes it, and copies what the recording
  needs from the conference's rows (participant names, transcript, persistent chat) into the
  `RetainedRecording`.
- `release(conference_id, holder)` drops one hold. When the conference is gone and nobody holds
  its recording any more, the media and the `RetainedRecording` are deleted. A recording nobody
  holds is deleted with its conference, as before.

Holders (names are free-form; these two are the known ones):

``COLLECTION`` (`recordings` app)
    Taken at recording start; released once the recordings app has stored verified (checksummed)
    copies of every file, transcript included, and the conference is gone.
``TRANSCRIPT_FINAL_PASS`` (speech-to-text)
    Taken by the engine at every recording start; released by the final pass
    (`mind.engine.final_pass`) once it has stored the final transcript, or given up. While it is held,
    the transcript is not complete (`snapshot().transcript_complete` is false), so collection waits.

Reading: `snapshot(conference_id)` (state, segments, transcript, names, chat, whether the conference
still exists) and `composed_file(conference_id, content_type)` work the same before and after the
conference is deleted. Only the embedded engine retains: a remote Mind deployment keeps its own rules.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.celery import app as celery_app
from mind import signals
from mind.models import (
    Conference,
    RecordingHold,
    RecordingMediaState,
    RecordingState,
    RetainedRecording,
    Utterance,
)

logger = logging.getLogger(__name__)

COLLECTION = "collection"
TRANSCRIPT_FINAL_PASS = "transcript-final-pass"

COMPOSED_NAMES = {"video/mp4": "recording.mp4", "image/jpeg": "thumbnail.jpg", "image/webp": "preview.webp"}


def mjr_dir(conference_id) -> Path:
    """Where Janus writes the conference's .mjr files."""
    return Path(settings.JANUS_RECORDINGS_DIR) / str(conference_id)


def composed_dir(conference_id) -> Path:
    """Where the worker writes the composed recording files."""
    return Path(settings.MEDIA_ROOT) / "mind" / str(conference_id)


def composed_file(conference_id, content_type: str) -> Path | None:
    """The composed file of that type (`video/mp4`, `image/jpeg`, `image/webp`) if it is there."""
    path = composed_dir(conference_id) / COMPOSED_NAMES[content_type]
    return path if path.is_file() else None


def participant_audio_files(conference_id) -> list[tuple[str, Path]]:
    """[(participant id, path)] of the per-participant M4A files the final pass wrote
    (`<participantId>.m4a` beside the composed files), by participant id."""
    import uuid

    found = []
    for path in sorted(composed_dir(conference_id).glob("*.m4a")):
        try:
            found.append((str(uuid.UUID(path.stem)), path))
        except ValueError:
            continue  # not a participant's file
    return found


# --- holders ---------------------------------------------------------------------------------------


def take(conference_id, holder: str) -> bool:
    """Holds the recording's media for `holder` (idempotent). False if there is no such recording
    (never started, or already deleted): a hold can only be taken while the media exists."""
    recording = RetainedRecording.objects.filter(pk=conference_id).first()
    if recording is None:
        return False
    RecordingHold.objects.get_or_create(recording=recording, holder=holder)
    return True


def release(conference_id, holder: str) -> None:
    """Drops `holder`'s hold (idempotent). The last hold on a deleted conference's recording
    deletes its media, after the commit."""
    with transaction.atomic():
        recording = RetainedRecording.objects.select_for_update().filter(pk=conference_id).first()
        if recording is None:
            return
        recording.holds.filter(holder=holder).delete()
        if recording.conference_deleted_at is not None and not recording.holds.exists():
            recording.delete()
            transaction.on_commit(lambda: delete_media(conference_id))


def holders(conference_id) -> list[str]:
    return sorted(RecordingHold.objects.filter(recording_id=conference_id).values_list("holder", flat=True))


# --- what the recording is -------------------------------------------------------------------------


@dataclass
class Snapshot:
    conference_id: str
    application_id: str
    name: str
    layout: str
    conference_exists: bool
    segments: list[dict]
    media_state: str
    media_error: str
    participants: dict[str, str]  # participant id -> name
    utterances: list[dict]  # {timestamp (ms from the recording's start), participantId, text}
    messages: list[dict]  # persistent chat: {sentAt (epoch ms), sentBy, sentTo, text}
    transcript_complete: bool
    holders: list[str] = field(default_factory=list)

    @property
    def started_at_ms(self) -> int | None:
        return self.segments[0]["startedAt"] if self.segments else None

    @property
    def stopped_at_ms(self) -> int | None:
        return self.segments[-1].get("stoppedAt") if self.segments else None


def _utterances_of(conference: Conference) -> list[dict]:
    return [{"timestamp": u.timestamp, "participantId": str(u.participant_id), "text": u.text}
            for u in conference.utterances.all()]


def _messages_of(conference: Conference) -> list[dict]:
    return [{"sentAt": int(m.sent_at.timestamp() * 1000), "sentBy": str(m.sent_by), "sentTo": str(m.sent_to),
             "text": m.text} for m in conference.messages.order_by("sent_at")]


def snapshot(conference_id) -> Snapshot | None:
    """The recording as it stands, whether its conference still exists or not; None if unknown."""
    recording = RetainedRecording.objects.filter(pk=conference_id).first()
    if recording is None:
        return None
    held = holders(conference_id)
    final_pass_pending = TRANSCRIPT_FINAL_PASS in held
    conference = Conference.objects.filter(pk=conference_id).first() if recording.conference_deleted_at is None else None
    if conference is not None:
        return Snapshot(
            str(recording.conference_id), str(recording.application_id), conference.name, recording.layout, True,
            recording.segments, recording.media_state, recording.media_error,
            {str(p.id): p.name for p in conference.participants.all()}, _utterances_of(conference),
            _messages_of(conference),
            conference.recording_state == RecordingState.STOPPED and conference.transcription_completed_at is not None
            and not final_pass_pending,
            held,
        )
    # Gone: no live transcriber can add anything now, only the final pass (while it holds).
    return Snapshot(
        str(recording.conference_id), str(recording.application_id), recording.name, recording.layout, False,
        recording.segments, recording.media_state, recording.media_error, recording.participants,
        recording.utterances, recording.messages, not final_pass_pending, held,
    )


def store_final_transcript(conference_id, utterances: list[dict]) -> None:
    """The transcript's final pass replaces the transcript with `utterances` ({timestamp,
    participantId, text}) and marks it complete. Release the TRANSCRIPT_FINAL_PASS hold after this."""
    lines = sorted(utterances, key=lambda u: int(u["timestamp"]))
    with transaction.atomic():
        recording = RetainedRecording.objects.select_for_update().filter(pk=conference_id).first()
        if recording is None:
            return
        conference = Conference.objects.select_for_update().filter(pk=conference_id).first()
        if conference is not None:
            conference.utterances.all().delete()
            Utterance.objects.bulk_create(
                Utterance(conference=conference, participant_id=u["participantId"], timestamp=int(u["timestamp"]),
                          text=u["text"]) for u in lines)
            if conference.recording_state == RecordingState.STOPPED:
                conference.transcription_completed_at = timezone.now()
                conference.save(update_fields=["transcription_completed_at"])
        else:
            recording.utterances = [{"timestamp": int(u["timestamp"]), "participantId": str(u["participantId"]),
                                     "text": u["text"]} for u in lines]
            recording.transcription_completed_at = timezone.now()
            recording.save(update_fields=["utterances", "transcription_completed_at"])


# --- hooks called by mind.services -----------------------------------------------------------------


def recording_started(conference: Conference) -> None:
    """In the start transaction: the recording exists from now on; the first start asks for holds."""
    recording, created = RetainedRecording.objects.get_or_create(
        pk=conference.id, defaults={"application_id": conference.application_id, "name": conference.name,
                                   "layout": conference.recording_layout or conference.layout})
    recording.segments = conference.recording_segments
    recording.media_state = RecordingMediaState.NONE
    recording.save(update_fields=["segments", "media_state"])
    # The engine's own holder: the final pass (mind.engine.final_pass) runs after every stop and
    # releases this once it has stored the final transcript (a resumed recording holds it again).
    RecordingHold.objects.get_or_create(recording=recording, holder=TRANSCRIPT_FINAL_PASS)
    if created:
        signals.recording_retained.send(sender=RetainedRecording, conference_id=str(conference.id))


def recording_stopped(conference: Conference) -> None:
    RetainedRecording.objects.filter(pk=conference.id).update(segments=conference.recording_segments,
                                                              media_state=RecordingMediaState.PENDING)


def composition_finished(conference_id, segments: list, state: str, error: str) -> None:
    """The worker composed the recording made of `segments` (ignored if it has grown since)."""
    updated = RetainedRecording.objects.filter(pk=conference_id, segments=segments).update(
        media_state=state, media_error=error)
    if updated:
        transaction.on_commit(lambda: signals.recording_composed.send(
            sender=RetainedRecording, conference_id=str(conference_id), media_state=state))


def conference_deleting(conference: Conference):
    """In the deleting transaction, before the conference's rows go: keeps a held recording.

    Returns what to run after the commit, once Janus has let go of the room (the caller registers
    it after `conference_ended`): delete the media of an unheld recording, or compose a held one
    that was still recording."""
    recording = RetainedRecording.objects.select_for_update().filter(pk=conference.id).first()
    conference_id = conference.id
    if recording is None or not recording.holds.exists():
        if recording is not None:
            recording.delete()
        return lambda: delete_media(conference_id)
    after_commit = None
    if conference.recording_state == RecordingState.STARTED:
        # Still recording: the deletion stops it (Janus closes the files when the room goes).
        segments = list(conference.recording_segments)
        segments[-1] = {**segments[-1], "stoppedAt": int(timezone.now().timestamp() * 1000)}
        recording.segments = segments
        recording.media_state = RecordingMediaState.PENDING
        after_commit = lambda: _enqueue_composition(conference_id)  # noqa: E731
    elif recording.media_state == RecordingMediaState.NONE:
        recording.media_state = RecordingMediaState.FAILED
        recording.media_error = "nothing was recorded"
    completed = conference.transcription_completed_at
    recording.participants = {str(p.id): p.name for p in conference.participants.all()}
    recording.utterances = _utterances_of(conference)
    recording.messages = _messages_of(conference)
    recording.transcription_completed_at = completed or timezone.now()
    recording.name = conference.name
    recording.conference_deleted_at = timezone.now()
    recording.save()
    return after_commit


def _enqueue_composition(conference_id) -> None:
    # By name, as mind.services does: the domain layer imports no task module.
    celery_app.send_task("mind.tasks.compose_recording", args=[str(conference_id)])


def delete_media(conference_id) -> None:
    shutil.rmtree(composed_dir(conference_id), ignore_errors=True)
    shutil.rmtree(mjr_dir(conference_id), ignore_errors=True)
