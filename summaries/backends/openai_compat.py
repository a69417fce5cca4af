"""Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp server, Ollama, …).

POST {SUMMARIES_OPENAI_BASE_URL}/chat/completions with `model`, a system prompt asking for JSON in
the draft's shape (`base.DRAFT_SCHEMA`), `response_format: {"type": "json_object"}` and
temperature 0. The answer's `choices[0].message.content` must parse as JSON and validate against
the schema; if not, the model is asked once to repair it (its answer and the validation error are
sent back); a second bad answer fails the summary with the reason. Timeouts and 429/5xx are retried
with backoff (`http.post_json`). Transcripts longer than `SUMMARIES_OPENAI_MAX_CHUNK_CHARS` are
chunked by the pipeline.
"""

from __future__ import annotations

import json

import jsonschema
from django.conf import settings

from summaries.backends.base import DRAFT_SCHEMA, BackendError, Line, Options, Summarizer, transcript_text
from summaries.backends.http import post_json

STYLE_HINTS = {
    "general": "a general meeting",
    "sales_call": "a sales call: note the customer's needs, objections, pricing and agreed follow-ups",
    "daily_standup": "a daily standup: per person, what they did, will do, and blockers (one topic per person)",
    "interview": "an interview: the candidate's answers, strengths and concerns",
    "lecture": "a lecture: the concepts explained, in order",
    "one_on_one": "a one-on-one: feedback, concerns and agreed follow-ups",
}


def system_prompt(options: Options) -> str:
    language = f" Write in the language {options.language}." if options.language else \
        " Write in the language of the transcript."
    limit = f" The overview has at most {options.word_limit} words." if options.word_limit else ""
    return (
        "You summarise meeting transcripts. The transcript is of " + STYLE_HINTS.get(options.style, "a meeting") + "."
        " Answer with one JSON object and nothing else, with exactly these keys: "
        '"title" (string), "overview" (string: a few sentences), "details" (array of {"label", "summary"}: '
        'one per topic, in meeting order), "next_steps" (array of {"text", "owner", "due"}: action items; owner is '
        'the person who will do it when the transcript says so, else null; due is the deadline said, else null), '
        '"keywords" (array of strings), "decisions" (array of strings). Use only what the transcript says.'
        + limit + language
    )


def parse_content(answer: dict) -> str:
    try:
        return answer["choices"][0]["message"]["content"] or ""
    except (KeyError, IndexError, TypeError):
        raise BackendError("The chat-completions answer has no choices[0].message.content.") from None


class OpenAISummarizer(Summarizer):
    name = "openai"

    def __init__(self):
        self.base_url = (settings.SUMMARIES_OPENAI_BASE_URL or "").rstrip("/")
        self.model = settings.SUMMARIES_OPENAI_MODEL
        self.key = settings.SUMMARIES_OPENAI_API_KEY
        self.timeout = settings.SUMMARIES_OPENAI_TIMEOUT
        self.max_chunk_chars = settings.SUMMARIES_OPENAI_MAX_CHUNK_CHARS
        if not self.base_url or not self.model:
            raise BackendError("The OpenAI-compatible summarizer is not configured "
                               "(SUMMARIES_OPENAI_BASE_URL and SUMMARIES_OPENAI_MODEL).")

    def _chat(self, messages: list[dict]) -> str:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        body = {"model": self.model, "messages": messages, "temperature": 0,
                "response_format": {"type": "json_object"}}
        answer = post_json(f"{self.base_url}/chat/completions", body, headers=headers, timeout=self.timeout,
                           retries=settings.SUMMARIES_HTTP_RETRIES, service="The chat-completions endpoint")
        return parse_content(answer)

    def chat_text(self, messages: list[dict]) -> str:
        """A plain-text completion (assistants), with the same timeouts and retries."""
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        answer = post_json(f"{self.base_url}/chat/completions", {"model": self.model, "messages": messages,
                                                                   "temperature": 0},
                           headers=headers, timeout=self.timeout, retries=settings.SUMMARIES_HTTP_RETRIES,
                           service="The chat-completions endpoint")
        content = parse_content(answer)
        if not content.strip():
            raise BackendError("The chat-completions model answered nothing.")
        return content

    @staticmethod
    def _check(content: str) -> tuple[dict | None, str]:
        text = content.strip()
        if text.startswith("```"):
            text = text.strip("`").removeprefix("json").strip()
        try:
            draft = json.loads(text)
        except json.JSONDecodeError as exc:
            return None, f"not valid JSON ({exc.msg} at position {exc.pos})"
        except ValueError as exc:  # valid syntax json cannot read, e.g. an integer of more than 4300 digits
            return None, f"not valid JSON ({exc})"
        try:
            jsonschema.validate(draft, DRAFT_SCHEMA)
        except jsonschema.ValidationError as exc:
            where = "/".join(map(str, exc.absolute_path)) or "the top level"
            return None, f"does not match the schema at {where}: {exc.message}"
        return draft, ""

    def summarize(self, lines: list[Line], options: Options) -> dict:
        messages = [{"role": "system", "content": system_prompt(options)},
                    {"role": "user", "content": transcript_text(lines)}]
        content = self._chat(messages)
        draft, problem = self._check(content)
        if draft is not None:
            return draft
        messages += [{"role": "assistant", "content": content},
                     {"role": "user", "content": f"That answer is {problem}. Answer again with only the JSON object."}]
        draft, problem = self._check(self._chat(messages))
        if draft is None:
            raise BackendError(f"The chat-completions model's summary is {problem}, even after one repair request.")
        return draft
