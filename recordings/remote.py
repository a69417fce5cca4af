"""Collecting a meeting's recording from a remote Mind (`MIND_API_URL` set: `mind.client.HttpMind`).

A remote Mind keeps a recording only as long as its conference, so the meetings app does not delete
a recorded instance's conference when the meeting ends: it hands it to `recordings.tasks.collect_recording`
(by name), and `collect(conference_id)` here deletes the conference once every file is stored.

Over the Mind REST API:
1. `GET …/recording` (Accept video/mp4): 409 while still recording (→ RECORDING), 503 + Retry-After
   while composing (→ COMPOSING, the task retries after the server's Retry-After), 404 when nothing
   could be composed (only the text files then); 200 streams the MP4 into a staging file, checked
   against Content-Length and the server's `Repr-Digest` (RFC 9530) when sent, then stored like
   every file (SHA-256 verified after the write, temp name then rename). The JPEG likewise.
2. `GET …/recording/transcription`: 200 → the WebVTT; 206/503 → TRANSCRIPT_PENDING (retried).
3. The timeline from the meeting's participants and the transcript; the recording's span is the MP4's
   duration ending when the meeting ended. Chat and per-participant audio stay with the remote engine
   (the Mind REST API does not offer them).
4. Everything stored → the conference is deleted on the remote Mind.

Idempotent like the embedded path: a file stored already is not fetched again, stored names derive from
checksums, so a killed worker's rerun reuses its copy.
"""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path

from mind.client import MindError, get_mind
from mind.recording_retention import Snapshot
from recordings import storage
from recordings.collection import (
    COLLECTED,
    COMPOSING,
    NOT_OURS,
    RECORDING,
    UNKNOWN,
    ComposedMedia,
    _set_progress,
    recording_for,
    store_files,
)
from recordings.models import CloudRecording

logger = logging.getLogger(__name__)

# The retry the task uses when a remote Mind answers 503 without Retry-After.
DEFAULT_RETRY_SECONDS = 5


class RetryLater(Exception):
    """The remote Mind asked to come back after `seconds` (its Retry-After)."""

    def __init__(self, outcome: str, seconds: int | None):
        super().__init__(outcome)
        self.outcome = outcome
        self.seconds = seconds or DEFAULT_RETRY_SECONDS


def _duration_seconds(path: Path) -> float:
    result = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
                            capture_output=True, text=True, timeout=60, check=False)
    try:
        return float(json.loads(result.stdout)["format"]["duration"])
    except (ValueError, KeyError, TypeError):
        return 0.0


def collect(conference_id) -> str:
    """One collection run against the remote Mind; raises RetryLater when the server said when."""
    recording = recording_for(conference_id)
    if recording is None or recording.kind != CloudRecording.Kind.MEETING:
        return NOT_OURS
    mind = get_mind()
    if recording.status == CloudRecording.Status.COMPLETED and recording.collected_segments:
        _delete_conference(mind, conference_id)  # a run that stored everything but died before this
        return COLLECTED
    try:
        conference = mind.get_conference(conference_id)
    except MindError as exc:
        if exc.status == 404:
            logger.warning("recording of %s: the remote conference is gone, nothing to fetch", conference_id)
            return UNKNOWN
        raise
    if conference.get("recording", {}).get("started"):
        return RECORDING
    stored_video = recording.files.filter(file_type="MP4", participant_id="", status="completed").first()
    with storage.staging_dir() as work:
        # Fetched now unless stored already: 409/503/404 decide before anything is stored.
        media = _media(mind, conference_id, work, fetch_now=stored_video is None)
        if stored_video is not None:
            span = (int(stored_video.recording_start.timestamp() * 1000), int(stored_video.recording_end.timestamp() * 1000))
        else:
            span = _span(recording, media)
        transcript = _transcript(mind, conference_id)
        names = {p["id"]: p["name"] for p in mind.list_participants(conference_id) or []}
        snapshot = _snapshot(conference, span, media, transcript, recording, names)
        outcome = store_files(recording, snapshot, media, lambda: [])
    if outcome == COLLECTED:
        _delete_conference(mind, conference_id)
    return outcome


def _media(mind, conference_id, work: Path, fetch_now: bool) -> ComposedMedia | None:
    """The composed files, downloaded when first needed; None when the server could compose nothing."""

    def download(accept: str, name: str):
        def fetch():
            target = work / name
            try:
                mind.download_recording(conference_id, target, accept=accept)
            except MindError as exc:
                if exc.status == 409:
                    raise RetryLater(RECORDING, exc.retry_after) from None
                if exc.status == 503:
                    raise RetryLater(COMPOSING, exc.retry_after) from None
                if exc.status == 404 and accept == "image/jpeg":
                    return None
                raise
            return target
        return fetch

    media = ComposedMedia(download("video/mp4", "recording.mp4"), download("image/jpeg", "thumbnail.jpg"))
    if not fetch_now:
        return media
    try:
        media.mp4()
    except MindError as exc:
        if exc.status == 404:  # nothing was published: the text files only
            return None
        raise
    return media


def _transcript(mind, conference_id) -> tuple[bool, list[dict]]:
    try:
        answer = mind.get_recording_transcription(conference_id)
    except MindError as exc:
        if exc.status in (503, 409):
            return exc.status == 409, []  # never transcribed (409): complete and empty
        raise
    return bool(answer.get("complete")), list(answer.get("utterances") or [])


def _span(recording: CloudRecording, media: ComposedMedia | None) -> tuple[int, int]:
    """(start, stop) in epoch ms: the MP4's duration, ending when the meeting ended."""
    ended = recording.instance.ended_at if recording.instance is not None and recording.instance.ended_at else None
    end_ms = int((ended or recording.start_time).timestamp() * 1000)
    seconds = _duration_seconds(media.mp4()) if media is not None else 0.0
    start_ms = end_ms - int(seconds * 1000) if seconds else int(recording.start_time.timestamp() * 1000)
    return start_ms, max(end_ms, start_ms)


def _snapshot(conference: dict, span: tuple[int, int], media: ComposedMedia | None,
              transcript: tuple[bool, list[dict]], recording: CloudRecording, names: dict) -> Snapshot:
    """What the embedded path reads from the engine's retained recording, from the remote's answers."""
    complete, utterances = transcript
    _set_progress(recording, 30)
    return Snapshot(
        conference_id=str(recording.conference_id), application_id="", name=conference.get("name", ""),
        layout=conference.get("layout", "mosaic"), conference_exists=True,
        segments=[{"startedAt": span[0], "stoppedAt": span[1]}],
        media_state="ready" if media is not None else "failed", media_error="",
        participants=names, utterances=utterances, messages=[], transcript_complete=complete,
    )


def _delete_conference(mind, conference_id) -> None:
    try:
        mind.delete_conference(conference_id)
    except MindError as exc:
        if exc.status != 404:
            raise
