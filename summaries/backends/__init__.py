"""Summarizer backends behind one interface (`base.Summarizer`), chosen by `SUMMARIES_BACKEND`.

- ``embedded`` (default): `embedded.EmbeddedSummarizer`, no network, deterministic.
- ``openai``: `openai_compat.OpenAISummarizer`, any OpenAI-compatible chat-completions endpoint.
- ``ai_summarizer``: `ai_summarizer.AISummarizer`, the external "AI Summarizer" HTTP service.
"""

from __future__ import annotations

from django.conf import settings

from summaries.backends.ai_summarizer import AISummarizer
from summaries.backends.base import BackendError, Summarizer
from summaries.backends.embedded import EmbeddedSummarizer
from summaries.backends.openai_compat import OpenAISummarizer

BACKENDS = ("embedded", "openai", "ai_summarizer")


def get_backend(name: str = "") -> Summarizer:
    name = name or settings.SUMMARIES_BACKEND
    if name == "embedded":
        return EmbeddedSummarizer()
    if name == "openai":
        return OpenAISummarizer()
    if name == "ai_summarizer":
        return AISummarizer()
    raise BackendError(f"Unknown summarizer backend {name!r} (choose one of {', '.join(BACKENDS)}).")


__all__ = ["BACKENDS", "BackendError", "Summarizer", "get_backend"]
