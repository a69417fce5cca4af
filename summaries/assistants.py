"""AI assistants: an account's named instructions, run over a meeting instance's transcript.

`run(run_id)` (Celery task `summaries.tasks.run_assistant`) reads the transcript kept with the
instance's summary (or pulls it through `mind.client`), then:

- with the ``openai`` backend, sends the instructions and the transcript to the chat model and keeps
  its plain-text answer (long transcripts: one answer per chunk, labelled by part);
- otherwise (``embedded``; the AI Summarizer service has no assistant operation) follows the
  instructions it recognises — risks/concerns/blockers, a follow-up e-mail, decisions, action items,
  questions asked — and for any other instruction quotes the transcript lines most related to it
  (`summaries.questions`). It says which it did, never pretending to more.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from summaries import transcripts
from summaries.backends import BackendError
from summaries.backends.base import Line, Options, format_ms, transcript_text
from summaries.backends.embedded import EmbeddedSummarizer, clean
from summaries.backends.openai_compat import OpenAISummarizer
from summaries.models import AssistantRun, MeetingSummary
from summaries.pipeline import chunk_lines
from summaries.questions import answer as question_answer

RISK_RE = re.compile(r"\b(risk|risky|concern|worried|worry|blocked|blocker|problem|issue|delay|tight|drop|"
                     r"can't|cannot|not enough|too long|ran out|down for|failed|fail)\w*", re.I)
# Speech-to-text gives no question marks: a question starts with a question word, or asks "you" something.
QUESTION_RE = re.compile(r"\?\s*$|^(?:what|how|why|who|where|when|which|can|could|should|do|does|did|is|are)\b|"
                         r"\b(?:can|could|would|will|do|did) you\b", re.I)


def transcript_of(instance) -> list[dict]:
    summary = MeetingSummary.objects.filter(instance=instance).first()
    if summary is not None and summary.transcript:
        return summary.transcript
    names = transcripts.participant_names(instance)
    try:
        pulled = transcripts.pull(instance.conference_id)
        return transcripts.with_speakers(pulled.utterances, names)
    except transcripts.NotYet as exc:
        if exc.partial:
            return transcripts.with_speakers(exc.partial, names)
        raise BackendError("The transcript is not ready yet; try again in a minute.") from exc
    except transcripts.Unavailable as exc:
        raise BackendError(str(exc)) from exc


def _quote(u: dict) -> dict:
    return {"timestamp": u["timestamp"], "time": format_ms(u["timestamp"]), "speaker": u["speaker"], "text": u["text"]}


def embedded_answer(instructions: str, transcript: list[dict], instance) -> tuple[str, list[dict]]:
    text = instructions.lower()
    lines = [Line(u["timestamp"], u["speaker"], u["text"]) for u in transcript]
    meeting = instance.meeting
    if re.search(r"e-?mail|follow[- ]?up (?:note|message|mail)", text):
        draft = EmbeddedSummarizer().summarize(lines, Options(topic=meeting.topic))
        body = [f"Subject: Follow-up: {meeting.topic or 'our meeting'}", "", "Hi all,", "",
                f"Thanks for joining {meeting.topic or 'the meeting'} on {instance.started_at:%d %B %Y}. "
                f"In short: {draft['overview']}", ""]
        if draft["decisions"]:
            body += ["Decisions:"] + [f"- {d}" for d in draft["decisions"]] + [""]
        if draft["next_steps"]:
            body += ["Next steps:"] + [f"- {s['text']}" for s in draft["next_steps"]] + [""]
        body += ["Best,", meeting.host.get_full_name() or meeting.host.email]
        return "\n".join(body), []
    if re.search(r"risk|concern|blocker|issue|problem", text):
        found = [u for u in transcript if RISK_RE.search(u["text"])]
        head = "Risks and concerns raised:" if found else "No risks or concerns were raised."
        return "\n".join([head] + [f"- {u['speaker']}: {clean(u['text'])}" for u in found]), [_quote(u) for u in found]
    if re.search(r"decision|decided|agreed", text):
        draft = EmbeddedSummarizer().summarize(lines, Options())
        head = "Decisions:" if draft["decisions"] else "No decisions were recorded."
        return "\n".join([head] + [f"- {d}" for d in draft["decisions"]]), []
    if re.search(r"action item|next step|to-?do|task|follow[- ]?up", text):
        draft = EmbeddedSummarizer().summarize(lines, Options())
        head = "Action items:" if draft["next_steps"] else "No action items were said."
        return "\n".join([head] + [f"- {s['text']}" for s in draft["next_steps"]]), []
    if re.search(r"question", text):
        found = [u for u in transcript if QUESTION_RE.search(clean(u["text"]))]
        head = "Questions asked:" if found else "No questions were asked."
        return "\n".join([head] + [f"- {u['speaker']}: {clean(u['text'])}" for u in found]), [_quote(u) for u in found]
    result = question_answer(instructions, transcript)
    prefix = "The embedded assistant cannot follow free-form instructions; the transcript lines closest to them:"
    if not result["quotes"]:
        return "The embedded assistant cannot follow these instructions, and no transcript line relates to them.", []
    return "\n".join([prefix] + [f"- {q['speaker']} ({q['time']}): {q['text']}" for q in result["quotes"]]), result["quotes"]


def chat_answer(instructions: str, transcript: list[dict]) -> str:
    model = OpenAISummarizer()
    lines = [Line(u["timestamp"], u["speaker"], u["text"]) for u in transcript]
    chunks = chunk_lines(lines, model.max_chunk_chars)
    parts = []
    for number, chunk in enumerate(chunks, 1):
        messages = [{"role": "system", "content": "You help people with their meeting transcripts. Follow the user's "
                     "instructions using only what the transcript says. Answer in plain text.\n\nInstructions: "
                     + instructions},
                    {"role": "user", "content": transcript_text(chunk)}]
        content = model.chat_text(messages).strip()
        parts.append(content if len(chunks) == 1 else f"Part {number} of {len(chunks)}:\n{content}")
    return "\n\n".join(parts)


def run(run_id: int) -> str:
    found = AssistantRun.objects.select_related("instance", "instance__meeting", "instance__meeting__host").filter(
        pk=run_id).first()
    if found is None or found.state in (AssistantRun.State.COMPLETED, AssistantRun.State.FAILED):
        return found.state if found else "gone"
    AssistantRun.objects.filter(pk=run_id).update(state=AssistantRun.State.RUNNING)
    backend = "openai" if settings.SUMMARIES_BACKEND == "openai" else "embedded"
    try:
        transcript = transcript_of(found.instance)
        if not transcript:
            raise BackendError("The transcript is empty.")
        quotes: list[dict]
        if backend == "openai":
            answer, quotes = chat_answer(found.instructions, transcript), []
        else:
            answer, quotes = embedded_answer(found.instructions, transcript, found.instance)
    except BackendError as exc:
        AssistantRun.objects.filter(pk=run_id).update(state=AssistantRun.State.FAILED, failure_reason=str(exc)[:2000],
                                                      backend=backend, completed_at=timezone.now())
        return "failed"
    with transaction.atomic():
        AssistantRun.objects.filter(pk=run_id).update(state=AssistantRun.State.COMPLETED, answer=answer, quotes=quotes,
                                                      backend=backend, completed_at=timezone.now())
    return "completed"
