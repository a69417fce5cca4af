"""The external "AI Summarizer" service (seed 000: "AI-based call transcript analysis service").

All knowledge of that service's wire format lives in this module: `to_request` and `from_response`.
Its public documentation was not reachable while this was written, so the mapping below is the
contract we assume and test against a local server; adjust these two functions (only) if the
service's real API differs.

Request: ``POST {SUMMARIES_AI_SUMMARIZER_URL}/v1/summaries`` with ``Authorization: Bearer <key>``::

    {"language": "en", "style": "general", "max_words": 90,
     "participants": ["Ann", "Bob"],
     "transcript": [{"speaker": "Ann", "start_ms": 0, "text": "..."}, ...]}

Response 200::

    {"title": "...", "summary": "...",
     "chapters": [{"title": "...", "summary": "..."}],
     "action_items": [{"text": "...", "assignee": "Bob" | null, "due": "Friday" | null}],
     "keywords": ["..."], "decisions": ["..."]}

Errors: 4xx fail the summary with the service's message; 429/5xx and timeouts are retried.
"""

from __future__ import annotations

from django.conf import settings

from summaries.backends.base import BackendError, Line, Options, Summarizer
from summaries.backends.http import post_json


def to_request(lines: list[Line], options: Options) -> dict:
    body: dict[str, object] = {
        "language": options.language or "",
        "style": options.style,
        "participants": list(options.participants),
        "transcript": [{"speaker": line.speaker, "start_ms": line.start_ms, "text": line.text} for line in lines],
    }
    if options.word_limit:
        body["max_words"] = options.word_limit
    return body


def from_response(answer) -> dict:
    """The service's answer as a draft (validated by the pipeline)."""
    if not isinstance(answer, dict):
        raise BackendError("The AI Summarizer answered something other than a JSON object.")
    try:
        return {
            "title": answer.get("title") or "",
            "overview": answer["summary"],
            "details": [{"label": c["title"], "summary": c["summary"]} for c in answer.get("chapters") or []],
            "next_steps": [{"text": a["text"], "owner": a.get("assignee"), "due": a.get("due")}
                           for a in answer.get("action_items") or []],
            "keywords": list(answer.get("keywords") or []),
            "decisions": list(answer.get("decisions") or []),
        }
    except (KeyError, TypeError) as exc:
        raise BackendError(f"The AI Summarizer's answer lacks {exc}.") from None


class AISummarizer(Summarizer):
    name = "ai_summarizer"
    max_chunk_chars = 60_000

    def __init__(self):
        self.base_url = (settings.SUMMARIES_AI_SUMMARIZER_URL or "").rstrip("/")
        if not self.base_url:
            raise BackendError("The AI Summarizer is not configured (SUMMARIES_AI_SUMMARIZER_URL).")

    def summarize(self, lines: list[Line], options: Options) -> dict:
        key = settings.SUMMARIES_AI_SUMMARIZER_KEY
        answer = post_json(f"{self.base_url}/v1/summaries", to_request(lines, options),
                           headers={"Authorization": f"Bearer {key}"} if key else {},
                           timeout=settings.SUMMARIES_AI_SUMMARIZER_TIMEOUT, retries=settings.SUMMARIES_HTTP_RETRIES,
                           service="The AI Summarizer")
        return from_response(answer)
