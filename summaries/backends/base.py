"""The summarizer interface, the transcript it reads and the draft it returns.

A backend turns one chunk of transcript into a `draft` (a dict with exactly the keys of
`DRAFT_SCHEMA`). The pipeline (`summaries.pipeline`) cuts long transcripts into chunks no longer
than the backend's `max_chunk_chars`, asks for one draft per chunk, and merges them with
`merge_drafts`, so a backend never sees more than its context allows.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field

import jsonschema


class BackendError(Exception):
    """The summarizer could not produce a summary; the message says why (shown to the host)."""


@dataclass(frozen=True)
class Line:
    start_ms: int
    speaker: str
    text: str


@dataclass(frozen=True)
class Options:
    style: str = "general"
    word_limit: int | None = None
    language: str = ""
    topic: str = ""
    participants: tuple[str, ...] = field(default_factory=tuple)


STEP_SCHEMA = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "minLength": 1},
        "owner": {"type": ["string", "null"]},
        "due": {"type": ["string", "null"]},
    },
}

DRAFT_SCHEMA = {
    "type": "object",
    "required": ["title", "overview", "details", "next_steps", "keywords", "decisions"],
    "properties": {
        "title": {"type": "string"},
        "overview": {"type": "string"},
        "details": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["label", "summary"],
                "properties": {"label": {"type": "string"}, "summary": {"type": "string"}},
            },
        },
        "next_steps": {"type": "array", "items": STEP_SCHEMA},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "decisions": {"type": "array", "items": {"type": "string"}},
    },
}


def validate_draft(draft) -> dict:
    """The draft, normalised; raises jsonschema.ValidationError when it is not one."""
    jsonschema.validate(draft, DRAFT_SCHEMA)
    return {
        "title": draft["title"].strip(),
        "overview": draft["overview"].strip(),
        "details": [{"label": d["label"].strip(), "summary": d["summary"].strip()} for d in draft["details"]],
        "next_steps": [{"text": s["text"].strip(), "owner": (s.get("owner") or "").strip(), "due": (s.get("due") or "").strip()}
                       for s in draft["next_steps"]],
        "keywords": [k.strip() for k in draft["keywords"] if k.strip()],
        "decisions": [d.strip() for d in draft["decisions"] if d.strip()],
    }


def transcript_text(lines: list[Line]) -> str:
    return "\n".join(f"[{format_ms(line.start_ms)}] {line.speaker}: {line.text}" for line in lines)


def format_ms(ms: int) -> str:
    seconds = max(0, ms) // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def merge_drafts(drafts: list[dict], options: Options, word_limit: int) -> dict:
    """One summary from the drafts of consecutive chunks: topics in meeting order, next steps and
    decisions without repeats, keywords by how many chunks name them, the overview cut to the limit."""
    if len(drafts) == 1:
        merged = dict(drafts[0])
    else:
        details: list[dict]
        details, steps, decisions, seen_steps, seen_decisions = [], [], [], set(), set()
        keyword_counts: dict[str, int] = {}
        for draft in drafts:
            for detail in draft["details"]:
                if details and details[-1]["label"].lower() == detail["label"].lower():
                    details[-1] = {"label": details[-1]["label"],
                                   "summary": f"{details[-1]['summary']} {detail['summary']}".strip()}
                else:
                    details.append(dict(detail))
            for step in draft["next_steps"]:
                if _norm(step["text"]) not in seen_steps:
                    seen_steps.add(_norm(step["text"]))
                    steps.append(step)
            for decision in draft["decisions"]:
                if _norm(decision) not in seen_decisions:
                    seen_decisions.add(_norm(decision))
                    decisions.append(decision)
            for rank, keyword in enumerate(draft["keywords"]):
                keyword_counts[keyword.lower()] = keyword_counts.get(keyword.lower(), 0) + 100 - rank
        overview = " ".join(d["overview"] for d in drafts if d["overview"])
        merged = {"title": drafts[0]["title"], "overview": overview, "details": details, "next_steps": steps,
                  "keywords": [k for k, _ in sorted(keyword_counts.items(), key=lambda kv: -kv[1])][:12],
                  "decisions": decisions}
    merged["overview"] = cut_words(merged["overview"], word_limit)
    return merged


def cut_words(text: str, limit: int) -> str:
    """At most `limit` words, ending at a sentence end when one is near."""
    words = text.split()
    if len(words) <= limit:
        return text.strip()
    cut = " ".join(words[:limit])
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end > len(cut) // 2:
        return cut[: end + 1]
    return cut.rstrip(",;:") + "…"


class Summarizer(abc.ABC):
    name: str = ""
    max_chunk_chars: int = 12_000

    @abc.abstractmethod
    def summarize(self, lines: list[Line], options: Options) -> dict:
        """A draft (see DRAFT_SCHEMA) of these transcript lines; raises BackendError on failure."""

    def merge(self, drafts: list[dict], options: Options, word_limit: int) -> dict:
        return merge_drafts(drafts, options, word_limit)
