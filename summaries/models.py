"""AI meeting summaries: one per ended meeting instance, and who wants them.

A `MeetingSummary` moves pending → running → completed | failed. Its generated content is written
in one UPDATE when the summarizer has produced all of it, so a reader never sees half a summary.
Host edits live beside the generated content (`edited`), as Zoom's `edited_summary` does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Style(models.TextChoices):
    """RealtimeKit's summary styles (the subset the seed names)."""

    GENERAL = "general", "General"
    SALES_CALL = "sales_call", "Sales call"
    DAILY_STANDUP = "daily_standup", "Daily standup"
    INTERVIEW = "interview", "Interview"
    LECTURE = "lecture", "Lecture"
    ONE_ON_ONE = "one_on_one", "One-on-one"


class AccountSummarySettings(models.Model):
    """Whether an account's meetings are summarised automatically when they end."""

    account = models.OneToOneField("accounts.Account", on_delete=models.CASCADE, related_name="summary_settings")
    auto_summary = models.BooleanField(default=True)
    style = models.CharField(max_length=20, choices=Style.choices, default=Style.GENERAL)


class MeetingSummarySettings(models.Model):
    """A meeting's own choice, which wins over the account's."""

    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.CASCADE, related_name="summary_settings")
    auto_summary = models.BooleanField()


class MeetingSummary(models.Model):
    class State(models.TextChoices):
        PENDING = "pending"  # waiting for the worker, or for the transcript to be complete
        RUNNING = "running"  # the summarizer is working
        COMPLETED = "completed"
        FAILED = "failed"

    instance = models.OneToOneField("meetings.Instance", on_delete=models.CASCADE, related_name="summary")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="meeting_summaries")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    failure_reason = models.TextField(blank=True)
    # What was asked for.
    backend = models.CharField(max_length=32, blank=True, help_text="Empty: the configured default.")
    style = models.CharField(max_length=20, choices=Style.choices, default=Style.GENERAL)
    word_limit = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    # The transcript: taken when the meeting ended (the engine deletes its conference then), replaced
    # by the final one when the worker pulls it; kept so the summary can be regenerated and questioned.
    # [{timestamp (ms), participantId, speaker, text}]
    transcript = models.JSONField(null=True, blank=True)
    transcript_complete = models.BooleanField(default=False)
    # Generated content (all or nothing).
    content = models.JSONField(null=True, blank=True,
                               help_text="{title, overview, details[{label, summary}], next_steps[{text, owner, due}], "
                                         "keywords[], decisions[]}")
    used_backend = models.CharField(max_length=32, blank=True)
    # Host edits: {"summary_details": str, "next_steps": [str]}, and ticked next steps (indexes).
    edited = models.JSONField(null=True, blank=True)
    done_steps = models.JSONField(default=list, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    generation = models.PositiveIntegerField(default=0, help_text="Bumped by each (re)generation request.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["account", "state", "completed_at"])]

    def __str__(self):
        return f"summary of {self.instance_id} ({self.state})"

    @property
    def is_done(self) -> bool:
        return self.state in (self.State.COMPLETED, self.State.FAILED)


class Assistant(models.Model):
    """A named instruction an account keeps ("list the risks raised", "draft the follow-up e-mail")
    and runs over meeting transcripts (`summaries.assistants`)."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="ai_assistants")
    name = models.CharField(max_length=64)
    instructions = models.TextField(max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "name"], name="unique_assistant_name")]
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class AssistantRun(models.Model):
    """One run of an assistant over one meeting instance's transcript; its answer is kept."""

    State = MeetingSummary.State

    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="runs")
    instance = models.ForeignKey("meetings.Instance", on_delete=models.CASCADE, related_name="assistant_runs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    instructions = models.TextField(help_text="The assistant's instructions when it ran.")
    state = models.CharField(max_length=16, choices=MeetingSummary.State.choices, default=MeetingSummary.State.PENDING)
    failure_reason = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    quotes = models.JSONField(default=list, blank=True)
    backend = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
