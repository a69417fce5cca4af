"""The final pass over a stopped recording: per-participant audio files and the final transcript.

Run by the Celery task `mind.engine.tasks.finish_recording_audio` at every recording stop (a
resumed recording is stopped, and so processed, again). It needs only what it is given — the
conference id, the recording's segments (their first `startedAt` is time zero of the
transcript) and whether to transcribe — plus the .mjr files in `JANUS_RECORDINGS_DIR/<id>/`;
the conference row may already be gone (then the final transcript goes to its retained recording,
`mind.recording_retention`, which this pass holds until it is done).

For each participant with recorded voice (`mind.engine.participant_audio`):
1. `<participantId>.m4a` next to the composed MP4 (`MEDIA_ROOT/mind/<id>/`), on the recording's
   timeline;
2. if transcribing: 16 kHz mono PCM → phrases (voice activity) → the configured STT engine →
   utterances `{timestamp (ms from the recording's start), participantId, text}`.

Then `transcript.json` (all utterances, time order) is written next to them and, if the
conference still exists and its recording was not resumed meanwhile, the final utterances replace
the live ones of the transcribed participants and the transcript is marked complete (one
transaction), so `GET …/recording/transcription` answers 200.

Idempotent and resumable: every file is written under a temporary name and renamed; each
participant's result is kept in `.final-pass/` under a key made of its .mjr files (names and
sizes) and the engine, so a worker killed half-way and started again redoes only the
participants it had not finished, and gives the same transcript.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mind import recording_retention, services
from mind.engine import participant_audio
from mind.engine.stt import get_engine
from mind.engine.stt.phrases import split_phrases
from mind.models import Conference, RecordingState, Utterance

log = logging.getLogger(__name__)

TRANSCRIPT_FILE = "transcript.json"
CACHE_DIR = ".final-pass"


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _cache_key(files: list[Path], transcribe: bool, origin_ms: int | None) -> str:
    digest = hashlib.sha256()
    digest.update(f"{settings.STT_ENGINE}|{settings.STT_LANGUAGE}|{transcribe}|{origin_ms}".encode())
    for path in files:
        digest.update(f"|{path.name}:{path.stat().st_size}".encode())
    return digest.hexdigest()[:20]


def transcribe_pcm(pcm: bytes, participant_id: str, offset_ms: float = 0.0) -> list[dict]:
    """Utterances of one participant's 16 kHz PCM (sample 0 is `offset_ms` into the recording)."""
    engine = get_engine()
    utterances = []
    for phrase in split_phrases(pcm):
        for segment in engine.transcribe(phrase.pcm):
            utterances.append({"timestamp": max(0, round(offset_ms + (phrase.start + segment.start) * 1000)),
                               "participantId": participant_id, "text": segment.text})
    return utterances


def _participant(participant_id: str, files: list[Path], origin_us: int, output_dir: Path,
                 transcribe: bool) -> list[dict]:
    """One participant's utterances; writes its M4A (on the recording's timeline)."""
    # A fixed work folder per participant: what a killed worker left there is cleared on the rerun.
    work = output_dir / f".final-pass-work-{participant_id}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        audio = participant_audio.extract(participant_id, files, work)
        if not audio:
            return []
        m4a = work / "voice.m4a"
        participant_audio.write_m4a(audio, origin_us, m4a)
        os.replace(m4a, output_dir / f"{participant_id}.m4a")
        if not transcribe:
            return []
        # Decoded from the participant's first packet: no leading silence to run through the VAD.
        start_us = min(item.start_us for item in audio)
        pcm = participant_audio.decode_pcm(audio, start_us)
        return transcribe_pcm(pcm, participant_id, (start_us - origin_us) / 1000)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def give_up(conference_id, segments: list[dict]) -> str:
    """The final pass failed for good: the live utterances are the transcript; mark it complete."""
    return _finished(conference_id, store(conference_id, segments, [], []))


def _finished(conference_id, stored: str) -> str:
    """Lets go of the recording's media (mind.recording_retention) unless the recording was resumed,
    whose next stop runs the pass again."""
    if stored != "recording resumed":
        recording_retention.release(conference_id, recording_retention.TRANSCRIPT_FINAL_PASS)
    return stored


def run(conference_id, segments: list[dict], transcribe: bool, mjr_dir: Path | None = None,
        output_dir: Path | None = None) -> dict:
    """Processes the recording's audio; returns {"participants": n, "utterances": n, "stored": why}."""
    mjr_dir = mjr_dir or services.janus_recordings_dir(conference_id)
    output_dir = output_dir or services.recording_media_dir(conference_id)
    voices = participant_audio.voice_files(mjr_dir)
    # Time zero: the recording's start, or the first packet if a file claims to be earlier.
    starts = [participant_audio.start_us(path) for files in voices.values() for path in files]
    origin_us = min(([segments[0]["startedAt"] * 1000] if segments else []) + starts, default=0)
    origin_ms = origin_us // 1000
    output_dir.mkdir(parents=True, exist_ok=True)
    cache = output_dir / CACHE_DIR
    utterances: list[dict] = []
    for participant_id, files in voices.items():
        cached = cache / f"{participant_id}-{_cache_key(files, transcribe, origin_ms)}.json"
        if cached.exists() and (output_dir / f"{participant_id}.m4a").exists():
            mine = json.loads(cached.read_text())
        else:
            mine = _participant(participant_id, files, origin_us, output_dir, transcribe)
            _write_atomically(cached, json.dumps(mine).encode())
        utterances += mine
    utterances.sort(key=lambda u: (u["timestamp"], u["participantId"]))
    if transcribe:
        _write_atomically(output_dir / TRANSCRIPT_FILE, json.dumps(utterances, indent=1).encode())
        stored = store(conference_id, segments, list(voices), utterances)
    else:
        stored = "not transcribing"
    return {"participants": len(voices), "utterances": len(utterances), "stored": _finished(conference_id, stored)}


def store(conference_id, segments: list[dict], participant_ids: list[str], utterances: list[dict]) -> str:
    """Replaces the live utterances of `participant_ids` with the final ones; marks complete."""
    with transaction.atomic():
        conference = Conference.objects.select_for_update().filter(pk=conference_id).first()
        if conference is None:
            return _store_retained(conference_id, participant_ids, utterances)
        if conference.recording_state != RecordingState.STOPPED or conference.recording_segments != segments:
            return "recording resumed"  # its next stop runs the final pass again
        Utterance.objects.filter(conference=conference, participant_id__in=participant_ids).delete()
        Utterance.objects.bulk_create(
            Utterance(conference=conference, participant_id=u["participantId"], timestamp=u["timestamp"],
                      text=u["text"]) for u in utterances)
        conference.transcription_completed_at = timezone.now()
        conference.save(update_fields=["transcription_completed_at"])
    return "stored"


def _store_retained(conference_id, participant_ids: list[str], utterances: list[dict]) -> str:
    """The conference is gone but its recording is retained: the final transcript goes there."""
    kept = recording_retention.snapshot(conference_id)
    if kept is None:
        return "conference gone"
    others = [u for u in kept.utterances if u["participantId"] not in participant_ids]
    recording_retention.store_final_transcript(conference_id, others + utterances)
    return "stored (conference gone)"
