"""Cloud recordings: Zoom's recording object (one per recorded meeting instance) and its files.

A `CloudRecording` is created when a meeting instance's recording first starts (the engine's
`recording_retained` signal); the collection task (`recordings.collection`) fills in its
`RecordingFile`s from the engine's retained media. Files live in the `recordings` storage
(`django.core.files.storage.storages["recordings"]`: local filesystem by default, S3 by settings)
under names only the database knows, written completely and checksummed before a row points at them.

Deleting goes to trash first (`trashed_at`); trash is emptied after `RECORDINGS_TRASH_DAYS`.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


def new_recording_password() -> str:
    """8 characters with letters and digits (what the share settings accept)."""
    letters, digits = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
    chosen = [secrets.choice(letters), secrets.choice(digits)] + [secrets.choice(letters + digits) for _ in range(6)]
    secrets.SystemRandom().shuffle(chosen)
    return "".join(chosen)


class CloudRecording(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing"
        COMPLETED = "completed"

    class Kind(models.TextChoices):
        MEETING = "meeting"  # a meeting instance's (the /v2 meeting recording API)
        SESSION = "session"  # a Video SDK session's: a conference an application made through the Mind API

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MEETING, db_index=True)
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="cloud_recordings")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cloud_recordings")
    conference_id = models.UUIDField(unique=True, help_text="The media engine's conference that was recorded.")
    # The meeting instance; kept as plain values too, so the recording survives the meeting's deletion.
    instance = models.OneToOneField("meetings.Instance", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="cloud_recording")
    meeting_id = models.BigIntegerField(db_index=True, null=True, blank=True, help_text="null for sessions")
    # The instance UUID; for a session, its session_id (the conference id's 16 bytes in base64, as Zoom's).
    meeting_uuid = models.CharField(max_length=32, db_index=True)
    meeting_type = models.PositiveSmallIntegerField(default=2)
    topic = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    start_time = models.DateTimeField(db_index=True)
    duration = models.PositiveIntegerField(default=0, help_text="minutes")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="percent collected, for the pages")
    # How many recording segments (start/stop pairs) the collected media covers.
    collected_segments = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    trashed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Share settings (Zoom's recording settings object; defaults in recordings.settings_schema).
    settings = models.JSONField(default=dict, blank=True)
    password = models.CharField(max_length=10, blank=True, default=new_recording_password)
    share_token = models.CharField(max_length=64, unique=True, default=new_share_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["account", "start_time"])]
        ordering = ["-start_time"]

    def __str__(self):
        return f"{self.meeting_id} {self.topic} ({self.meeting_uuid})"


class RecordingFile(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing"
        COMPLETED = "completed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey(CloudRecording, on_delete=models.CASCADE, related_name="files")
    file_type = models.CharField(max_length=16)  # MP4, M4A, TRANSCRIPT, CHAT, TIMELINE, TB
    recording_type = models.CharField(max_length=64)
    file_extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=500, blank=True)
    file_size = models.BigIntegerField(default=0)
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the stored bytes, verified")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    recording_start = models.DateTimeField()
    recording_end = models.DateTimeField()
    segments = models.PositiveIntegerField(default=0, help_text="recording segments this file covers")
    trashed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # One participant's own audio (Zoom's `participant_audio_files`): their engine participant id and
    # the name they had in the meeting. Empty for the recording's other files.
    participant_id = models.CharField(max_length=64, blank=True, default="")
    participant_name = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recording", "recording_type", "participant_id"],
                                               name="one_file_per_type_and_participant")]
        ordering = ["created_at", "id"]

    @property
    def is_participant_audio(self) -> bool:
        return bool(self.participant_id)


class AccountRecordingSettings(models.Model):
    """An account's cloud recording settings (Zoom's account `recording` settings we honour)."""

    account = models.OneToOneField("accounts.Account", on_delete=models.CASCADE, primary_key=True,
                                   related_name="recording_settings")
    record_audio_file_each_participant = models.BooleanField(
        "record a separate audio file of each participant", default=False,
        help_text="Cloud recordings of this account's meetings also keep each participant's own audio (M4A).")

    @classmethod
    def for_account(cls, account_id) -> "AccountRecordingSettings":
        return cls.objects.filter(account_id=account_id).first() or cls(account_id=account_id)


class RecordingAccessDay(models.Model):
    """How often a recording was played and downloaded on one day (analytics_summary).

    A request counts when it starts at the first byte: a player's later range requests for the same
    viewing do not."""

    recording = models.ForeignKey(CloudRecording, on_delete=models.CASCADE, related_name="access_days")
    date = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recording", "date"], name="one_access_row_per_day")]
