"""Pulling a meeting instance's transcript from the Mind layer (`mind.client`), local or remote.

The Mind API answers GET …/recording/transcription with 200 (complete), 206 (partial, maybe with
Retry-After), 503 + Retry-After (nothing yet), 409 (never recorded), 404 (conference gone). This
module turns those into `Pulled` (lines + complete flag) or one of the exceptions below; the
pipeline decides whether to wait.
"""

from __future__ import annotations

from dataclasses import dataclass

from mind.client import MindError, get_mind


class NotYet(Exception):
    """The transcript is not complete yet; ask again after `retry_after` seconds (None: our backoff)."""

    def __init__(self, retry_after: int | None, partial: list[dict] | None = None):
        super().__init__(f"transcript not ready (retry after {retry_after})")
        self.retry_after = retry_after
        self.partial = partial


class Unavailable(Exception):
    """There is no transcript to pull (never recorded, or the conference is gone); the message says why."""

    def __init__(self, message: str, gone: bool = False):
        super().__init__(message)
        self.gone = gone


@dataclass
class Pulled:
    utterances: list[dict]
    complete: bool


def pull(conference_id: str) -> Pulled:
    """The conference's transcript; raises NotYet while it is partial or not ready, Unavailable when
    there is none."""
    if not conference_id:
        raise Unavailable("The meeting had no media conference, so there is no transcript.", gone=True)
    try:
        answer = get_mind().get_recording_transcription(conference_id)
    except MindError as exc:
        if exc.status == 409:
            raise Unavailable("The meeting was not recorded, so there is no transcript to summarise.") from exc
        if exc.status == 404:
            raise Unavailable("The meeting's conference no longer exists in the media engine.", gone=True) from exc
        if exc.status in (429, 500, 502, 503, 504):
            raise NotYet(exc.retry_after) from exc
        raise Unavailable(f"The media engine refused the transcript: {exc.message}") from exc
    utterances = answer.get("utterances") or []
    if not answer.get("complete"):
        raise NotYet(None, partial=utterances)
    return Pulled(utterances, True)


def participant_names(instance) -> dict[str, str]:
    """media participant id → the meeting participant's name, for the instance's transcript."""
    return {p.media_participant_id: p.name for p in instance.participants.exclude(media_participant_id="")}


def with_speakers(utterances: list[dict], names: dict[str, str]) -> list[dict]:
    """Utterances with a `speaker` name (the meeting participant whose media id spoke)."""
    lines = []
    for u in utterances:
        pid = str(u.get("participantId", ""))
        lines.append({"timestamp": int(u.get("timestamp", 0)), "participantId": pid,
                      "speaker": names.get(pid) or u.get("speaker") or "Unknown speaker", "text": str(u.get("text", ""))})
    lines.sort(key=lambda line: line["timestamp"])
    return lines
