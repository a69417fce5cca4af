"""The embedded Mind engine's state: conferences, participants, messages, streamings, transcripts.

Field names are Django-style; `mind.representations` turns them into the Mind API's JSON
(camelCase, as the seeds define it). Participant tokens are never stored: only their SHA-256
(the raw token is high-entropy random, so a fast hash is enough), shown once on creation.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Layout(models.TextChoices):
    MOSAIC = "mosaic"
    SELECTOR = "selector"
    PRESENTING_MOSAIC = "presenting_mosaic"
    PRESENTING_SELECTOR = "presenting_selector"


class Role(models.TextChoices):
    MODERATOR = "moderator"
    PRESENTER = "presenter"
    SPEAKER = "speaker"
    ATTENDEE = "attendee"

    def may_publish(self, media: str) -> bool:
        """Whether this role may publish `media`: "primary" (camera and microphone: moderators,
        presenters, speakers) or "secondary" (screen: moderators and presenters)."""
        return self in PUBLISHERS[media]


PUBLISHERS = {
    "primary": {Role.MODERATOR, Role.PRESENTER, Role.SPEAKER},
    "secondary": {Role.MODERATOR, Role.PRESENTER},
}


class RecordingState(models.TextChoices):
    IDLE = "idle"  # never started
    STARTED = "started"
    STOPPED = "stopped"  # stopped or paused; may be resumed


class RecordingMediaState(models.TextChoices):
    NONE = "none"  # nothing recorded yet
    PENDING = "pending"  # the worker is composing MP4/JPEG/WebP from the .mjr files
    READY = "ready"
    FAILED = "failed"


def _janus_room_id() -> int:
    # Janus VideoRoom uses numeric ids here (string_ids = false); keep them below 2**53 so
    # JavaScript tooling can show them without rounding.
    return secrets.randbelow(2**53 - 1) + 1


def _ending_at():
    return timezone.now() + timedelta(seconds=settings.MIND_CONFERENCE_MAX_DURATION)


class Conference(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application_id = models.UUIDField(db_index=True)
    name = models.CharField(max_length=500, blank=True, default="")
    layout = models.CharField(max_length=32, choices=Layout.choices, default=Layout.MOSAIC)
    recording_layout = models.CharField(max_length=32, choices=Layout.choices, blank=True, default="")
    janus_room_id = models.BigIntegerField(unique=True, default=_janus_room_id)
    # The Janus server (a JANUS_SERVERS name) that holds the room; "" until the room is first needed.
    janus_server = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    ending_at = models.DateTimeField(default=_ending_at, db_index=True)

    recording_state = models.CharField(max_length=16, choices=RecordingState.choices, default=RecordingState.IDLE)
    # Each start/stop pair is one segment: [{"startedAt": ms, "stoppedAt": ms|None}, ...].
    recording_segments = models.JSONField(default=list, blank=True)
    recording_media_state = models.CharField(
        max_length=16, choices=RecordingMediaState.choices, default=RecordingMediaState.NONE
    )
    recording_media_error = models.TextField(blank=True, default="")

    transcription_started = models.BooleanField(default=False)
    # When transcription was last started: time zero of live utterances while nothing is recorded.
    transcription_started_at = models.DateTimeField(null=True, blank=True)
    # Set once every utterance of the stopped recording is in; until then the transcript is partial.
    transcription_completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.name or 'conference'} ({self.id})"

    @property
    def has_ended(self) -> bool:
        return self.ending_at <= timezone.now()

    @property
    def recording_started(self) -> bool:
        return self.recording_state == RecordingState.STARTED


def hash_token(raw_token: str) -> str:
    import hashlib

    return hashlib.sha256(raw_token.encode()).hexdigest()


def new_participant_token() -> str:
    # 100 characters like Mind's tokens (~600 bits of entropy).
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(100))


class Participant(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=500, blank=True, default="")
    priority = models.FloatField(default=1.0)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.SPEAKER)
    layout = models.CharField(max_length=32, choices=Layout.choices, default=Layout.MOSAIC)
    online = models.BooleanField(default=False)
    media_audio = models.BooleanField(default=False)
    media_video = models.BooleanField(default=False)
    secondary_audio = models.BooleanField(default=False)
    secondary_video = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The last SIP call's status (answered, declined, ... as the seeds enumerate), if any.
    sip_status = models.CharField(max_length=16, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.name or 'participant'} ({self.role})"

    @property
    def is_moderator(self) -> bool:
        return self.role == Role.MODERATOR


class Message(models.Model):
    """A message sent with `persistent: true`, kept so late joiners can read the chat."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="messages")
    sent_to = models.UUIDField()
    sent_by = models.UUIDField()
    sent_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["sent_at"]


class Streaming(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="streamings")
    url = models.CharField(max_length=2000)
    alive = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class Utterance(models.Model):
    """One timestamped, authored line of a conference transcript."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="utterances")
    # Not a foreign key: the transcript keeps the author's id after the participant is deleted.
    participant_id = models.UUIDField()
    timestamp = models.BigIntegerField(help_text="milliseconds since the recording started")
    text = models.TextField()

    class Meta:
        ordering = ["timestamp", "id"]


class RetainedRecording(models.Model):
    """A conference's recording media (the .mjr files, the composed MP4/JPEG/WebP) and transcript,
    which may outlive the conference while someone holds it (`mind.recording_retention`).

    Created when the conference's recording first starts; kept in step with it (segments, media
    state). When the conference is deleted while holds remain, what the recording needs from the
    conference's rows (participant names, transcript, persistent chat) is copied here, because those
    rows go with the conference."""

    conference_id = models.UUIDField(primary_key=True)
    application_id = models.UUIDField(db_index=True)
    name = models.CharField(max_length=500, blank=True, default="")
    layout = models.CharField(max_length=32, choices=Layout.choices, default=Layout.MOSAIC)
    created_at = models.DateTimeField(default=timezone.now)
    segments = models.JSONField(default=list, blank=True)
    media_state = models.CharField(max_length=16, choices=RecordingMediaState.choices, default=RecordingMediaState.NONE)
    media_error = models.TextField(blank=True, default="")
    # Set when the conference is deleted; the fields below are then the recording's only copy.
    conference_deleted_at = models.DateTimeField(null=True, blank=True)
    participants = models.JSONField(default=dict, blank=True, help_text="participant id -> name")
    utterances = models.JSONField(default=list, blank=True, help_text="[{timestamp, participantId, text}]")
    messages = models.JSONField(default=list, blank=True, help_text="[{sentAt, sentBy, sentTo, text}]")
    transcription_completed_at = models.DateTimeField(null=True, blank=True)


class RecordingHold(models.Model):
    """One holder's claim on a retained recording: its media is not deleted while any claim remains."""

    recording = models.ForeignKey(RetainedRecording, on_delete=models.CASCADE, related_name="holds")
    holder = models.CharField(max_length=64)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recording", "holder"], name="one_hold_per_holder")]
