"""Meetings, their occurrences and started instances, the people in them, and webhook endpoints.

A Meeting is what a host schedules (Zoom's meeting object, id = a random 11-digit number; a
user's personal meeting room has their 10-digit PMI).
A recurring meeting with a fixed time (type 8) has Occurrences, materialised from its
recurrence rule. Each time a meeting is started it gets an Instance with its own UUID (Zoom's
past-meeting UUID); the people who join an instance are Participants (one row per join).
An instance may split its people into breakout rooms (BreakoutSession, BreakoutRoom,
BreakoutAssignment; `meetings.actions.breakout`), each room its own engine conference.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User, new_personal_meeting_id
from accounts.user_settings import generates_passcodes, meeting_defaults
from meetings.validation import (
    DEFAULT_SETTINGS,
    E2EE_FORCED_SETTINGS,
    E2EE_REPLACED_SETTINGS,
    OCCURRENCE_SETTINGS,
    with_e2ee_rules,
)

E2EE_RULED_SETTINGS = {*E2EE_FORCED_SETTINGS, *E2EE_REPLACED_SETTINGS}


def new_meeting_id() -> int:
    """A random 11-digit meeting number (uniqueness is enforced by the primary key). Personal meeting
    IDs have 10 digits, so a new meeting never takes someone's personal room number."""
    return secrets.randbelow(99_000_000_000 - 10_000_000_000) + 10_000_000_000


def new_instance_uuid() -> str:
    """Zoom-style instance UUID: 16 random bytes, base64 (may contain '/' and '+', ends in '==')."""
    return base64.b64encode(secrets.token_bytes(16)).decode()


def new_participant_key() -> str:
    return secrets.token_urlsafe(12)


class MeetingQuerySet(models.QuerySet["Meeting"]):
    # The lists of GET /users/{userId}/meetings?type=... ("upcoming_meetings" is Zoom's alias of "upcoming").
    LIST_TYPES = ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings")

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def listed(self, list_type: str, now: datetime):
        """The meetings in one of Zoom's list types, annotated with `sort_time` (start, else creation):

        - scheduled: every scheduled or recurring meeting, and whatever is live;
        - live: meetings with a live instance;
        - upcoming: live, recurring without a fixed time, scheduled and not over yet, or recurring
          with an occurrence not over yet;
        - previous_meetings: meetings that have run, scheduled ones that are over, and recurring
          ones with no occurrence left.
        """
        Type = Meeting.Type
        live = Exists(Instance.objects.filter(meeting=OuterRef("pk"), ended_at__isnull=True))
        ended = Exists(Instance.objects.filter(meeting=OuterRef("pk"), ended_at__isnull=False))
        occurrence_end = ExpressionWrapper(
            F("start_time") + Coalesce(F("duration"), F("meeting__duration")) * timedelta(minutes=1),
            output_field=DateTimeField())
        future_occurrence = Exists(Occurrence.objects.filter(meeting=OuterRef("pk"), status=Occurrence.Status.AVAILABLE)
                                   .annotate(ends=occurrence_end).filter(ends__gte=now))
        # end_time only filters (alias: not selected); sort_time orders the pages and their tokens.
        meetings = self.annotate(sort_time=Coalesce("start_time", "created_at")).alias(
            end_time=ExpressionWrapper(F("start_time") + F("duration") * timedelta(minutes=1), output_field=DateTimeField()),
        )
        fixed_recurring = Q(type=Type.RECURRING_FIXED_TIME)
        meetings = meetings.filter(Q(personal=False) | live)  # a personal room is listed only while live
        if list_type == "scheduled":
            return meetings.filter(Q(type__in=[Type.SCHEDULED, Type.RECURRING_NO_FIXED_TIME, Type.RECURRING_FIXED_TIME])
                                   | live)
        if list_type == "live":
            return meetings.filter(live)
        if list_type in ("upcoming", "upcoming_meetings"):
            return meetings.filter(live | Q(type=Type.RECURRING_NO_FIXED_TIME) | Q(type=Type.SCHEDULED, end_time__gte=now)
                                   | fixed_recurring & future_occurrence)
        if list_type == "previous_meetings":
            return meetings.filter(ended | Q(type=Type.SCHEDULED, end_time__lt=now) | fixed_recurring & ~future_occurrence)
        raise ValueError(f"unknown list type {list_type!r}")

    def personal(self, user) -> Meeting:
        """The user's personal meeting room (Zoom's PMI meeting): a meeting numbered `user.pmi`, always
        available (type 3), with its own settings and passcode. It comes into being at its first use
        (the room at `personal_meeting_url`, the API, a meeting with `use_pmi`)."""
        meeting = self.filter(pk=user.pmi).first()
        if meeting is not None and meeting.personal and meeting.host_id == user.pk:
            return meeting
        if meeting is not None:  # the number went to a meeting before it was this user's PMI: a new PMI
            User.objects.filter(pk=user.pk).update(pmi=new_personal_meeting_id())
            user.refresh_from_db(fields=["pmi"])
            return self.personal(user)
        password = "".join(secrets.choice("0123456789") for _ in range(6)) if generates_passcodes(user) else ""
        room, _ = self.get_or_create(pk=user.pmi, defaults={
            "account_id": user.account_id, "host": user, "personal": True, "type": Meeting.Type.RECURRING_NO_FIXED_TIME,
            "topic": f"{user.get_full_name()}'s Personal Meeting Room", "timezone": user.timezone or "UTC",
            "password": password, "source": settings.SITE_NAME,
            "settings": {**DEFAULT_SETTINGS, **meeting_defaults(user, Meeting.Type.INSTANT), "use_pmi": False},
        })
        return room

    def for_room(self, number: int) -> Meeting | None:
        """The meeting people join as /j/<number>: a meeting not deleted, or the personal meeting room
        of the user whose PMI it is."""
        meeting = self.alive().select_related("host").filter(pk=number).first()
        if meeting is None and not self.filter(pk=number).exists():
            owner = User.objects.filter(pmi=number, is_active=True).first()
            if owner is not None:
                meeting = self.personal(owner)
        return meeting

    def starting_between(self, lower: datetime, upper: datetime):
        """Meetings, or occurrences of them, that start in [lower, upper)."""
        in_range = Exists(Occurrence.objects.filter(meeting=OuterRef("pk"), status=Occurrence.Status.AVAILABLE,
                                                    start_time__gte=lower, start_time__lt=upper))
        return self.filter(Q(start_time__gte=lower, start_time__lt=upper) | in_range)


class Meeting(models.Model):
    class Type(models.IntegerChoices):
        INSTANT = 1, "Instant"
        SCHEDULED = 2, "Scheduled"
        RECURRING_NO_FIXED_TIME = 3, "Recurring, no fixed time"
        RECURRING_FIXED_TIME = 8, "Recurring, fixed time"

    id = models.BigIntegerField(primary_key=True, default=new_meeting_id, editable=False)
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="meetings")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hosted_meetings")
    source = models.CharField(max_length=128, blank=True, help_text="The OAuth app that created it, or the site.")
    topic = models.CharField(max_length=200, blank=True)
    type = models.PositiveSmallIntegerField(choices=Type.choices, default=Type.SCHEDULED)
    agenda = models.TextField(max_length=2000, blank=True)
    start_time = models.DateTimeField(null=True, blank=True, help_text="UTC; the first occurrence of a recurring meeting.")
    duration = models.PositiveIntegerField(default=60, help_text="minutes")
    timezone = models.CharField(max_length=64, default="UTC")
    password = models.CharField(max_length=10, blank=True)
    recurrence = models.JSONField(null=True, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    livestream = models.JSONField(default=dict, blank=True)
    tracking_fields = models.JSONField(default=list, blank=True, help_text='Zoom\'s [{"field", "value"}], as given.')
    # Bumped to revoke every invite link at once (DELETE /v2/meetings/{id}/invite_links).
    invite_generation = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Deleted meetings can be recovered.")
    # The UUID the next started instance will get, so GET shows it before the meeting starts (as Zoom does).
    next_instance_uuid = models.CharField(max_length=32, default=new_instance_uuid)
    # The host's personal meeting room (id = the host's PMI); it cannot be deleted.
    personal = models.BooleanField(default=False, editable=False)

    objects = MeetingQuerySet.as_manager()
    # Set only when the meeting's query selected its live instance's UUID (see live_instance_uuid).
    live_uuid: str | None

    class Meta:
        indexes = [models.Index(fields=["host", "start_time"]), models.Index(fields=["account", "deleted_at"])]

    def __str__(self):
        return f"{self.id} {self.topic}"

    @property
    def is_recurring(self) -> bool:
        return self.type in (self.Type.RECURRING_NO_FIXED_TIME, self.Type.RECURRING_FIXED_TIME)

    def setting(self, name: str):
        """A setting as it applies now: the current occurrence's override (type 8), else the meeting's;
        an end-to-end encrypted meeting has no join before host and no cloud recording (`with_e2ee_rules`)."""
        occurrence = self.current_occurrence() if name in OCCURRENCE_SETTINGS else None
        if occurrence is not None and name in occurrence.settings:
            value = occurrence.settings[name]
        else:
            value = self.settings.get(name, DEFAULT_SETTINGS.get(name))
        if self.end_to_end_encrypted and name in E2EE_RULED_SETTINGS:
            value = with_e2ee_rules({"encryption_type": "e2ee", name: value})[name]
        return value

    @property
    def end_to_end_encrypted(self) -> bool:
        """settings.encryption_type e2ee: the browsers encrypt the media with keys the server never sees."""
        return self.settings.get("encryption_type") == "e2ee"

    def current_occurrence(self) -> Occurrence | None:
        """The occurrence people join now (type 8 only): the live instance's, else the next one not
        over yet. Looked up once per loaded meeting."""
        if self.type != self.Type.RECURRING_FIXED_TIME:
            return None
        if not hasattr(self, "_current_occurrence"):
            available = self.occurrences.filter(status=Occurrence.Status.AVAILABLE)
            live = self.live_instance()
            found = available.filter(occurrence_id=live.occurrence_id).first() if live and live.occurrence_id else None
            if found is None:
                found = available.filter(start_time__gte=timezone.now() - timedelta(minutes=self.duration)).first()
            self._current_occurrence = found
        return self._current_occurrence

    @property
    def requires_registration(self) -> bool:
        """approval_type 0 (automatic) or 1 (manual): only approved registrants join."""
        return self.setting("approval_type") in (0, 1)

    def alternative_host_emails(self) -> list[str]:
        """The alternative hosts' emails, as stored (validated and ';'-joined when the meeting is saved)."""
        return [email for email in self.setting("alternative_hosts").split(";") if email]

    def live_instance(self) -> Instance | None:
        return self.instances.filter(ended_at__isnull=True).first()

    def live_instance_uuid(self) -> str | None:
        """The live instance's UUID: as loaded with the meeting when its query selected it (`live_uuid`,
        meetings.actions.lookups.meeting_to_show), else looked up."""
        if "live_uuid" in self.__dict__:
            return self.__dict__["live_uuid"]
        live = self.live_instance()
        return live.uuid if live else None


class Occurrence(models.Model):
    """One occurrence of a recurring meeting. `occurrence_id` is Zoom's: its original start, epoch ms."""

    class Status(models.TextChoices):
        AVAILABLE = "available"
        DELETED = "deleted"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="occurrences")
    occurrence_id = models.BigIntegerField()
    start_time = models.DateTimeField()
    duration = models.PositiveIntegerField(null=True, blank=True, help_text="Overrides the meeting's duration.")
    agenda = models.TextField(max_length=2000, blank=True, null=True, help_text="Overrides the meeting's agenda.")
    settings = models.JSONField(default=dict, blank=True, help_text="Overrides of the meeting's settings.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AVAILABLE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "occurrence_id"], name="unique_occurrence")]
        ordering = ["start_time"]


class Instance(models.Model):
    """One started session of a meeting (Zoom's meeting instance, identified by its UUID)."""

    class Recording(models.TextChoices):
        IDLE = "idle"
        RECORDING = "recording"
        PAUSED = "paused"
        STOPPED = "stopped"

    uuid = models.CharField(max_length=32, unique=True, default=new_instance_uuid)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="instances")
    occurrence_id = models.BigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    host_joined_at = models.DateTimeField(null=True, blank=True)
    conference_id = models.CharField(max_length=64, blank=True, help_text="The media engine's conference.")
    recording_state = models.CharField(max_length=16, choices=Recording.choices, default=Recording.IDLE)
    recording_started_at = models.DateTimeField(null=True, blank=True)
    streaming_id = models.CharField(max_length=64, blank=True, help_text="The media engine's RTMP streaming.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting"], condition=Q(ended_at__isnull=True), name="one_live_instance"),
        ]
        ordering = ["started_at"]

    def __str__(self):
        return self.uuid

    @property
    def is_live(self) -> bool:
        return self.ended_at is None


class Participant(models.Model):
    """One person's attempt to join a meeting, from waiting to leaving."""

    class Status(models.TextChoices):
        WAITING_FOR_HOST = "waiting_for_host"
        WAITING_ROOM = "waiting_room"
        IN_MEETING = "in_meeting"
        LEFT = "left"
        DENIED = "denied"

    class Role(models.TextChoices):
        HOST = "host"
        ALTERNATIVE_HOST = "alternative_host"
        CO_HOST = "co_host"  # an attendee a host promoted in the room
        ATTENDEE = "attendee"

    key = models.CharField(max_length=32, unique=True, default=new_participant_key)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, null=True, blank=True, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    name = models.CharField(max_length=64)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ATTENDEE)
    status = models.CharField(max_length=20, choices=Status.choices)
    muted = models.BooleanField(default=False)
    removed = models.BooleanField(default=False, help_text="A host removed them from the meeting.")
    media_participant_id = models.CharField(max_length=64, blank=True)
    media_token = models.TextField(blank=True)
    registrant = models.ForeignKey("Registrant", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="participants", help_text="The registration they joined with.")
    # Where their media is now: a breakout room's conference, or (null) the instance's main conference.
    # media_participant_id and media_token are always their engine participant *there*.
    breakout_room = models.ForeignKey("BreakoutRoom", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="present")
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["instance", "status"])]

    @property
    def is_host(self) -> bool:
        return self.role in (self.Role.HOST, self.Role.ALTERNATIVE_HOST)

    @property
    def can_moderate(self) -> bool:
        """Hosts and co-hosts run the room (mute, remove, admit); only hosts end it or appoint co-hosts."""
        return self.is_host or self.role == self.Role.CO_HOST

    @property
    def media_conference_id(self) -> str:
        """The engine conference their media is in now: their breakout room's, else the main one."""
        if self.breakout_room_id is not None and self.breakout_room is not None:
            return self.breakout_room.conference_id
        return self.instance.conference_id if self.instance is not None else ""

    def duration_seconds(self, now=None) -> int:
        if self.joined_at is None:
            return 0
        end = self.left_at or now or timezone.now()
        return max(0, int((end - self.joined_at).total_seconds()))


def new_registrant_id() -> str:
    return secrets.token_urlsafe(16)


class Registrant(models.Model):
    """Someone registered for a meeting that requires registration (approval_type 0 or 1)."""

    class Status(models.TextChoices):
        APPROVED = "approved"
        PENDING = "pending"
        DENIED = "denied"  # denied by a host, or an approval cancelled

    id = models.CharField(primary_key=True, max_length=32, default=new_registrant_id, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrants")
    email = models.EmailField()
    first_name = models.CharField(max_length=64)
    last_name = models.CharField(max_length=64, blank=True)
    # The other answers of Zoom's registration form (address, city, org, comments, custom_questions...).
    details = models.JSONField(default=dict, blank=True)
    # The occurrences registered for (registration_type 2 or 3); empty = every occurrence.
    occurrence_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="one_registration_per_email")]
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.email} ({self.status})"


class BreakoutSession(models.Model):
    """The breakout rooms of one meeting instance, as a host sets them up and runs them.

    draft (rooms and assignments being set up) -> open (each room has its engine conference; people
    move there) -> closing (a countdown runs in every room; `closes_at`) -> closed (everyone back in
    the main room). A closed session may be set up and opened again (`round` counts the openings).
    """

    class State(models.TextChoices):
        DRAFT = "draft"
        OPEN = "open"
        CLOSING = "closing"
        CLOSED = "closed"

    instance = models.OneToOneField(Instance, on_delete=models.CASCADE, related_name="breakout")
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    allow_choose = models.BooleanField(default=False, help_text="People may pick a room themselves.")
    countdown_seconds = models.PositiveSmallIntegerField(default=60, help_text="From closing to everyone back.")
    closes_at = models.DateTimeField(null=True, blank=True)
    round = models.PositiveIntegerField(default=0, help_text="How many times the rooms were opened.")
    version = models.PositiveIntegerField(default=0, help_text="Goes up with every change; clients refetch.")
    message = models.CharField(max_length=500, blank=True, help_text="The host's last broadcast to all rooms.")
    message_from = models.CharField(max_length=64, blank=True)
    message_id = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Breakout rooms of {self.instance_id} ({self.state})"


class BreakoutRoom(models.Model):
    session = models.ForeignKey(BreakoutSession, on_delete=models.CASCADE, related_name="rooms")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=64)
    conference_id = models.CharField(max_length=64, blank=True, help_text="Its engine conference while open.")
    # Pre-assigned by e-mail (the meeting's settings.breakout_room): signed-in people with these
    # addresses belong here unless a host assigned them elsewhere.
    emails = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="one_breakout_room_per_position")]

    def __str__(self):
        return self.name


class BreakoutAssignment(models.Model):
    """A host put this participant in this room (by hand, automatically, or they chose it)."""

    room = models.ForeignKey(BreakoutRoom, on_delete=models.CASCADE, related_name="assignments")
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="breakout_assignment")


class SentCancellation(models.Model):
    """A cancellation notice that went out: one row per (meeting, occurrence or 0 for the whole
    meeting, address), inserted in the same transaction as the send, so a retried or repeated task
    never sends the same notice twice (meetings.tasks.send_cancellation_notices)."""

    meeting_id = models.BigIntegerField()
    occurrence_id = models.BigIntegerField(default=0)
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting_id", "occurrence_id", "email"],
                                               name="one_cancellation_per_address")]
