"""Every change to meeting summaries goes through here (views and the API stay thin).

- `instance_ended(instance)`: called (from `receivers`) inside the transaction that ends a meeting
  instance. If summaries are on for the meeting (its own choice, else its account's) and the
  instance was recorded, a pending summary is created, the transcript as it stands is taken (the
  engine deletes the conference right after), and the task is queued after commit.
- `request_summary(instance, …)`: create or regenerate on demand (style, word limit, language,
  backend); bumps `generation` so an older run in flight writes nothing. Refused for an end-to-end
  encrypted meeting (`meetings.encryption`), which has no transcript; so are assistants' runs.
- `edit_summary`, `tick_step`, `delete_summary`; `summaries.events` sends `meeting.summary_*` webhooks.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from meetings.encryption import unavailable_message
from meetings.models import Instance, Meeting
from summaries import events, transcripts
from summaries.backends import BACKENDS
from summaries.models import (
    AccountSummarySettings,
    Assistant,
    AssistantRun,
    MeetingSummary,
    MeetingSummarySettings,
    Style,
)
from summaries.representations import next_steps_text
from summaries.tasks import run_assistant as run_assistant_task
from summaries.tasks import summarize

logger = logging.getLogger(__name__)

MAX_WORD_LIMIT = 1000
EMBEDDED_LANGUAGES = ("", "en", "en-us", "en-gb", "en-in")


class SummaryError(Exception):
    """A request that cannot be honoured; the message is for the person who asked."""


def account_settings(account) -> AccountSummarySettings:
    found = AccountSummarySettings.objects.filter(account=account).first()
    return found or AccountSummarySettings(account=account, auto_summary=settings.SUMMARIES_AUTO_DEFAULT)


def summaries_enabled(meeting: Meeting) -> bool:
    own = MeetingSummarySettings.objects.filter(meeting=meeting).values_list("auto_summary", flat=True).first()
    if own is not None:
        return own
    return account_settings(meeting.account).auto_summary


def set_meeting_auto_summary(meeting: Meeting, enabled: bool | None) -> None:
    if enabled is None:
        MeetingSummarySettings.objects.filter(meeting=meeting).delete()
    else:
        MeetingSummarySettings.objects.update_or_create(meeting=meeting, defaults={"auto_summary": enabled})


def _enqueue(summary: MeetingSummary) -> None:
    summary_id, generation = summary.pk, summary.generation
    transaction.on_commit(lambda: summarize.delay(summary_id, generation))


def _take_transcript(instance: Instance) -> tuple[list[dict] | None, bool]:
    """The transcript as it stands now (None when there is none yet)."""
    names = transcripts.participant_names(instance)
    try:
        with transaction.atomic():  # a savepoint: whatever the engine does, the meeting's end commits
            pulled = transcripts.pull(instance.conference_id)
        return transcripts.with_speakers(pulled.utterances, names), True
    except transcripts.NotYet as exc:
        return (transcripts.with_speakers(exc.partial, names) if exc.partial else None), False
    except transcripts.Unavailable:
        return None, False
    except Exception:  # the meeting must end whatever the engine does
        logger.exception("could not take the transcript of instance %s", instance.pk)
        return None, False


def instance_ended(instance: Instance) -> MeetingSummary | None:
    meeting = instance.meeting
    if instance.recording_state == Instance.Recording.IDLE or not summaries_enabled(meeting):
        return None
    if MeetingSummary.objects.filter(instance=instance).exists():
        return None
    transcript, complete = _take_transcript(instance)
    summary = MeetingSummary.objects.create(
        instance=instance, account=meeting.account, style=account_settings(meeting.account).style,
        transcript=transcript, transcript_complete=complete)
    _enqueue(summary)
    return summary


def validate_options(style: str | None, word_limit, language: str | None, backend: str | None) -> dict:
    if style not in (None, "") and style not in Style.values:
        raise SummaryError(f"style: Must be one of {', '.join(Style.values)}.")
    if word_limit is not None and (isinstance(word_limit, bool) or not isinstance(word_limit, int)
                                   or not 10 <= word_limit <= MAX_WORD_LIMIT):
        raise SummaryError(f"word_limit: Must be a whole number from 10 to {MAX_WORD_LIMIT}.")
    if language is not None and (not isinstance(language, str) or len(language) > 16):
        raise SummaryError("language: Must be a language tag such as en or de.")
    if backend not in (None, "") and backend not in BACKENDS:
        raise SummaryError(f"backend: Must be one of {', '.join(BACKENDS)}.")
    chosen = backend or settings.SUMMARIES_BACKEND
    if chosen == "embedded" and (language or "").lower() not in EMBEDDED_LANGUAGES:
        raise SummaryError("language: The embedded summarizer writes in the meeting's language only (English); "
                           "choose another backend to translate.")
    return {"style": style or Style.GENERAL, "word_limit": word_limit, "language": language or "",
            "backend": backend or ""}


@transaction.atomic
def request_summary(instance: Instance, *, style=None, word_limit=None, language=None, backend=None) -> MeetingSummary:
    """Creates the instance's summary, or regenerates it with these options."""
    options = validate_options(style, word_limit, language, backend)
    if instance.meeting.end_to_end_encrypted:  # no transcript: the server never heard it
        raise SummaryError(unavailable_message("summary"))
    if instance.ended_at is None:
        raise SummaryError("The meeting is still in progress: it can be summarised once it has ended.")
    summary = MeetingSummary.objects.select_for_update().filter(instance=instance).first()
    if summary is None:
        transcript, complete = _take_transcript(instance)
        summary = MeetingSummary(instance=instance, account=instance.meeting.account, transcript=transcript,
                                 transcript_complete=complete)
    summary.style, summary.word_limit = options["style"], options["word_limit"]
    summary.language, summary.backend = options["language"], options["backend"]
    summary.state = MeetingSummary.State.PENDING
    summary.failure_reason = ""
    summary.started_at = summary.completed_at = None
    summary.generation += 1
    summary.save()
    _enqueue(summary)
    return summary


@transaction.atomic
def edit_summary(summary: MeetingSummary, *, summary_details: str, next_steps: list[str]) -> MeetingSummary:
    if summary.state != MeetingSummary.State.COMPLETED:
        raise SummaryError("Only a finished summary can be edited.")
    steps = [s.strip()[:500] for s in next_steps if s and s.strip()][:100]
    summary.edited = {"summary_details": summary_details.strip()[:20000], "next_steps": steps}
    summary.save(update_fields=["edited", "modified_at"])
    events.emit(summary, "meeting.summary_updated")
    return summary


@transaction.atomic
def tick_step(summary: MeetingSummary, index: int, done: bool) -> None:
    if not 0 <= index < len(next_steps_text(summary)):
        raise SummaryError("No such next step.")
    ticked = set(summary.done_steps or [])
    ticked.add(index) if done else ticked.discard(index)
    summary.done_steps = sorted(ticked)
    summary.save(update_fields=["done_steps", "modified_at"])


@transaction.atomic
def delete_summary(summary: MeetingSummary) -> None:
    summary.delete()



# --- AI assistants ----------------------------------------------------------------------------------


def _assistant_fields(data: dict, partial: bool) -> dict:
    fields = {}
    for name, limit in (("name", 64), ("instructions", 4000)):
        if name not in data and partial:
            continue
        value = data.get(name)
        if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
            raise SummaryError(f"{name}: Must be text of 1 to {limit} characters.")
        fields[name] = value.strip()
    return fields


def can_manage_assistant(user, assistant) -> bool:
    return assistant.account_id == user.account_id and (user.is_account_admin or assistant.created_by_id == user.pk)


@transaction.atomic
def create_assistant(user, data: dict):
    fields = _assistant_fields(data, partial=False)
    if Assistant.objects.filter(account=user.account, name__iexact=fields["name"]).exists():
        raise SummaryError(f"name: The account already has an assistant called {fields['name']}.")
    return Assistant.objects.create(account=user.account, created_by=user, **fields)


@transaction.atomic
def update_assistant(user, assistant, data: dict):
    if not can_manage_assistant(user, assistant):
        raise PermissionError("Only its creator or an account admin may change this assistant.")
    fields = _assistant_fields(data, partial=True)
    if "name" in fields and Assistant.objects.filter(account=assistant.account, name__iexact=fields["name"]).exclude(
            pk=assistant.pk).exists():
        raise SummaryError(f"name: The account already has an assistant called {fields['name']}.")
    for key, value in fields.items():
        setattr(assistant, key, value)
    assistant.save()
    return assistant


def delete_assistant(user, assistant) -> None:
    if not can_manage_assistant(user, assistant):
        raise PermissionError("Only its creator or an account admin may delete this assistant.")
    assistant.delete()


@transaction.atomic
def run_assistant(user, assistant, instance):
    """Queues a run of `assistant` over `instance`'s transcript (same account only)."""
    if assistant.account_id != instance.meeting.account_id:
        raise SummaryError("The assistant belongs to another account.")
    if instance.meeting.end_to_end_encrypted:
        raise SummaryError(unavailable_message("summary"))
    if instance.ended_at is None:
        raise SummaryError("The meeting is still in progress: assistants run once it has ended.")
    run = AssistantRun.objects.create(assistant=assistant, instance=instance, requested_by=user,
                                      instructions=assistant.instructions)
    transaction.on_commit(lambda: run_assistant_task.delay(run.pk))
    return run
