"""From an ended meeting instance to a stored summary (run by `summaries.tasks.summarize`).

`run(summary_id, generation, last_try)`:

1. Transcript: the complete one taken at the meeting's end, else pulled through `mind.client`
   (`summaries.transcripts`): partial (206) or not ready (503) → `NotReady` with the server's
   Retry-After or our backoff, so the task retries later; on the last try a partial transcript is
   used (and the summary says so) rather than none. Never recorded / nothing left → failed.
2. Chunks: lines grouped so no chunk exceeds the backend's `max_chunk_chars`; one draft per chunk,
   merged in meeting order (`Summarizer.merge`).
3. Result: validated against the draft schema and written in one UPDATE with state `completed`
   (or `failed` with the reason). A run whose `generation` is no longer the summary's (someone
   asked to regenerate meanwhile) writes nothing. Running again after completion does nothing.
"""

from __future__ import annotations

import logging
import time

import jsonschema
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import send_ready_notice
from summaries import events, transcripts
from summaries.backends import BackendError, get_backend
from summaries.backends.base import Line, Options, validate_draft
from summaries.models import MeetingSummary

logger = logging.getLogger(__name__)


class NotReady(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


def backoff(attempt: int) -> int:
    base = settings.SUMMARIES_TRANSCRIPT_RETRY_SECONDS
    return min(300, base * (2 ** attempt))


def chunk_lines(lines: list[Line], max_chars: int) -> list[list[Line]]:
    chunks: list[list[Line]] = [[]]
    size = 0
    for line in lines:
        length = len(line.speaker) + len(line.text) + 16
        if chunks[-1] and size + length > max_chars:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += length
    return [c for c in chunks if c]


def summarize_lines(lines: list[Line], options: Options, backend_name: str = "") -> tuple[dict, str]:
    """(validated draft, backend name) for these lines; raises BackendError."""
    backend = get_backend(backend_name)
    chunks = chunk_lines(lines, backend.max_chunk_chars)
    drafts = []
    for chunk in chunks:
        try:
            drafts.append(validate_draft(backend.summarize(chunk, options)))
        except jsonschema.ValidationError as exc:
            raise BackendError(f"The {backend.name} summarizer returned a malformed summary: {exc.message}") from exc
    word_limit = options.word_limit or settings.SUMMARIES_OVERVIEW_WORDS
    return validate_draft(backend.merge(drafts, options, word_limit)), backend.name


def fail(summary_id: int, generation: int, reason: str) -> str:
    with transaction.atomic():
        updated = MeetingSummary.objects.filter(pk=summary_id, generation=generation).exclude(
            state=MeetingSummary.State.COMPLETED).update(state=MeetingSummary.State.FAILED, failure_reason=reason[:2000],
                                                         completed_at=timezone.now(), modified_at=timezone.now())
    return "failed" if updated else "superseded"


def _transcript(summary: MeetingSummary, attempt: int, last_try: bool) -> tuple[list[dict], bool]:
    """(utterances with speakers, complete) or raises NotReady / transcripts.Unavailable."""
    names = transcripts.participant_names(summary.instance)
    if summary.transcript is not None and summary.transcript_complete:
        return summary.transcript, True
    try:
        pulled = transcripts.pull(summary.instance.conference_id)
        return transcripts.with_speakers(pulled.utterances, names), True
    except transcripts.NotYet as exc:
        if not last_try:
            raise NotReady(exc.retry_after or backoff(attempt)) from exc
        partial = exc.partial if exc.partial else (summary.transcript or [])
        if not partial:
            raise transcripts.Unavailable("The transcript did not become available in time.") from exc
        return transcripts.with_speakers(partial, names), False
    except transcripts.Unavailable as exc:
        if exc.gone and summary.transcript:
            # The conference was deleted when the meeting ended: what was taken then is all there is.
            return summary.transcript, False
        raise


def run(summary_id: int, generation: int, attempt: int = 0, last_try: bool = False) -> str:
    summary = MeetingSummary.objects.select_related("instance", "instance__meeting").filter(pk=summary_id).first()
    if summary is None or summary.generation != generation:
        return "superseded"
    if summary.is_done:
        return summary.state
    try:
        utterances, complete = _transcript(summary, attempt, last_try)
    except transcripts.Unavailable as exc:
        return fail(summary_id, generation, str(exc))
    # A run that finished meanwhile (a duplicate delivery of the task) is never set back to running.
    claimed = MeetingSummary.objects.filter(pk=summary_id, generation=generation).exclude(
        state__in=[MeetingSummary.State.COMPLETED, MeetingSummary.State.FAILED]).update(
        state=MeetingSummary.State.RUNNING, started_at=timezone.now(), attempts=summary.attempts + 1,
        transcript=utterances, transcript_complete=complete, modified_at=timezone.now())
    if not claimed:
        return "superseded"
    lines = [Line(u["timestamp"], u["speaker"], u["text"]) for u in utterances if u["text"].strip()]
    if not lines:
        return fail(summary_id, generation, "The transcript is empty: nothing was said, or nothing was transcribed.")
    meeting = summary.instance.meeting
    options = Options(style=summary.style, word_limit=summary.word_limit, language=summary.language,
                      topic=meeting.topic, participants=tuple(sorted(set(transcripts.participant_names(summary.instance).values()))))
    started = time.monotonic()
    try:
        content, used = summarize_lines(lines, options, summary.backend)
    except BackendError as exc:
        return fail(summary_id, generation, str(exc))
    content["transcript_partial"] = not complete
    logger.info("summary %s: %d lines in %.2f s by %s", summary_id, len(lines), time.monotonic() - started, used)
    with transaction.atomic():
        locked = MeetingSummary.objects.select_for_update().filter(pk=summary_id).first()
        if locked is None or locked.generation != generation or locked.is_done:
            return "superseded"
        locked.content = content
        locked.used_backend = used
        locked.state = MeetingSummary.State.COMPLETED
        locked.failure_reason = ""
        locked.completed_at = timezone.now()
        locked.save(update_fields=["content", "used_backend", "state", "failure_reason", "completed_at", "modified_at"])
        events.emit(locked, "meeting.summary_completed")
        meeting = summary.instance.meeting
        send_ready_notice(meeting.host, "summary", meeting.topic, reverse("meetings:past", args=[summary.instance_id]))
    return "completed"
