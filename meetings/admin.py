"""Admin of meetings, their occurrences, instances, participants and registrants (the meeting's
life goes through meetings.actions: "end meeting" calls live.end_meeting)."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef

from config.admin_links import changelist_link, label_link, link
from config.api import ZoomAPIError
from meetings.actions import live
from meetings.models import (
    BreakoutAssignment,
    BreakoutRoom,
    BreakoutSession,
    Instance,
    Meeting,
    Occurrence,
    Participant,
    Registrant,
    SentCancellation,
)
from recordings.models import CloudRecording


class IsLiveFilter(admin.SimpleListFilter):
    """Meetings with an instance in progress, or instances in progress."""

    title = "live"
    parameter_name = "live"

    def lookups(self, request, model_admin):
        return (("yes", "In progress"), ("no", "Not in progress"))

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        if queryset.model is Meeting:
            live = Exists(Instance.objects.filter(meeting=OuterRef("pk"), ended_at__isnull=True))
            return queryset.filter(live if self.value() == "yes" else ~live)
        return queryset.filter(ended_at__isnull=self.value() == "yes")


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return (("yes", "Deleted"), ("no", "Not deleted"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(deleted_at__isnull=self.value() == "no")
        return queryset


def end_meetings(modeladmin, request, meetings) -> None:
    """Ends each meeting's live instance for everyone (live.end_meeting) and says what happened."""
    ended, not_live = [], []
    for meeting in meetings:
        try:
            live.end_meeting(meeting)
        except ZoomAPIError:  # not in progress (any more)
            not_live.append(str(meeting.pk))
        else:
            ended.append(str(meeting.pk))
    if ended:
        modeladmin.message_user(request, f"Ended meeting(s) {', '.join(ended)} for everyone.", messages.SUCCESS)
    if not_live:
        modeladmin.message_user(request, f"Not in progress, nothing to end: {', '.join(not_live)}.",
                                messages.WARNING)


class OccurrenceInline(admin.TabularInline):
    model = Occurrence
    extra = 0
    fields = ("occurrence_id", "start_time", "duration", "status")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "type", "host_link", "account", "start_time", "timezone", "personal", "deleted_at",
                    "created_at")
    list_filter = ("type", "personal", IsLiveFilter, DeletedFilter, "created_at")
    search_fields = ("=id", "topic", "host__email", "account__name")
    list_select_related = ("host", "account")
    autocomplete_fields = ("host", "account")
    date_hierarchy = "created_at"
    readonly_fields = ("id", "personal", "next_instance_uuid", "created_at", "updated_at", "related_links")
    inlines = [OccurrenceInline]
    actions = ("end_meeting",)

    @admin.display(description="host", ordering="host__email")
    def host_link(self, meeting):
        return link(meeting.host)

    @admin.display(description="related")
    def related_links(self, meeting):
        if meeting.pk is None or meeting._state.adding:
            return "—"
        return " · ".join([
            changelist_link(Instance, "instances", meeting__id__exact=meeting.pk),
            changelist_link(Participant, "participants", meeting__id__exact=meeting.pk),
            changelist_link(Registrant, "registrants", meeting__id__exact=meeting.pk),
            changelist_link(CloudRecording, "recordings", meeting_id=meeting.pk),
            changelist_link(Instance, "summaries", meeting__id__exact=meeting.pk, has_summary="yes"),
        ])

    @admin.action(description="End the selected meetings for everyone")
    def end_meeting(self, request, queryset):
        end_meetings(self, request, queryset)


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    list_display = ("meeting_link", "occurrence_id", "start_time", "duration", "status")
    list_filter = ("status", "start_time")
    search_fields = ("=meeting__id", "meeting__topic", "=occurrence_id")
    list_select_related = ("meeting",)
    raw_id_fields = ("meeting",)
    date_hierarchy = "start_time"

    @admin.display(description="meeting", ordering="meeting")
    def meeting_link(self, occurrence):
        return link(occurrence.meeting)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("name", "email", "role", "status", "muted", "joined_at", "left_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class HasSummaryFilter(admin.SimpleListFilter):
    title = "summary"
    parameter_name = "has_summary"

    def lookups(self, request, model_admin):
        return (("yes", "Has a summary"), ("no", "No summary"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(summary__isnull=self.value() == "no")
        return queryset


@admin.register(Instance)
class InstanceAdmin(admin.ModelAdmin):
    list_display = ("uuid", "meeting_link", "started_at", "ended_at", "recording_state", "recording_link",
                    "summary_link")
    list_filter = (IsLiveFilter, "recording_state", HasSummaryFilter, "started_at")
    search_fields = ("=uuid", "=meeting__id", "meeting__topic", "=conference_id")
    list_select_related = ("meeting", "cloud_recording", "summary")
    raw_id_fields = ("meeting",)
    date_hierarchy = "started_at"
    readonly_fields = ("uuid", "conference_id", "streaming_id", "recording_state", "recording_started_at",
                       "related_links")
    inlines = [ParticipantInline]
    actions = ("end_meeting",)

    @admin.display(description="meeting", ordering="meeting")
    def meeting_link(self, instance):
        return link(instance.meeting)

    @admin.display(description="recording")
    def recording_link(self, instance):
        return link(getattr(instance, "cloud_recording", None), "recording")

    @admin.display(description="summary")
    def summary_link(self, instance):
        summary = getattr(instance, "summary", None)
        return link(summary, summary.state) if summary else "—"

    @admin.display(description="related")
    def related_links(self, instance):
        if instance.pk is None:
            return "—"
        whiteboard = getattr(instance, "whiteboard", None)
        return " · ".join([
            # The engine deletes its conference when the meeting ends: the link may find nothing.
            label_link("mind.conference", instance.conference_id, "engine conference"),
            changelist_link("qos.qosminute", "quality", conference_id=instance.conference_id)
            if instance.conference_id else "no quality data",
            changelist_link(Participant, "participants", instance__id__exact=instance.pk),
            link(whiteboard, "whiteboard") if whiteboard else "no whiteboard",
        ])

    @admin.action(description="End the selected instances' meetings for everyone")
    def end_meeting(self, request, queryset):
        end_meetings(self, request, Meeting.objects.filter(instances__in=queryset, instances__ended_at__isnull=True)
                     .distinct())


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "meeting_link", "instance_link", "role", "status", "joined_at", "left_at")
    list_filter = ("status", "role", "removed", "muted", "joined_at")
    search_fields = ("name", "email", "=meeting__id", "=instance__uuid", "=media_participant_id")
    list_select_related = ("meeting", "instance")
    raw_id_fields = ("meeting", "instance", "user", "registrant")
    date_hierarchy = "created_at"
    # media_token is the engine's bearer token for this person's media session: never shown.
    exclude = ("media_token",)
    readonly_fields = ("key", "media_participant_id", "created_at", "engine_participant")

    @admin.display(description="meeting", ordering="meeting")
    def meeting_link(self, participant):
        return link(participant.meeting)

    @admin.display(description="instance")
    def instance_link(self, participant):
        return link(participant.instance)

    @admin.display(description="engine participant")
    def engine_participant(self, participant):
        # The engine deletes its participants with the conference: the link may find nothing.
        return label_link("mind.participant", participant.media_participant_id,
                          participant.media_participant_id or "—")


@admin.register(Registrant)
class RegistrantAdmin(admin.ModelAdmin):
    list_display = ("email", "first_name", "last_name", "meeting_link", "status", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("email", "first_name", "last_name", "=meeting__id", "=id")
    list_select_related = ("meeting",)
    raw_id_fields = ("meeting",)
    date_hierarchy = "created_at"
    readonly_fields = ("id", "created_at")

    @admin.display(description="meeting", ordering="meeting")
    def meeting_link(self, registrant):
        return link(registrant.meeting)


@admin.register(SentCancellation)
class SentCancellationAdmin(admin.ModelAdmin):
    """The cancellation notices that went out (the send task's idempotency ledger): read-only."""

    list_display = ("email", "meeting", "occurrence_id", "sent_at")
    list_filter = ("sent_at",)
    search_fields = ("email", "=meeting_id")
    date_hierarchy = "sent_at"

    @admin.display(description="meeting", ordering="meeting_id")
    def meeting(self, sent):
        # Not a foreign key: the notice outlives the deleted meeting, whose admin page may still exist.
        return label_link(Meeting, sent.meeting_id, sent.meeting_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BreakoutRoomInline(admin.TabularInline):
    model = BreakoutRoom
    fields = ("position", "name", "conference_id", "emails")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(BreakoutSession)
class BreakoutSessionAdmin(admin.ModelAdmin):
    """A live instance's breakout rooms: read-only here (hosts run them from the room, through
    meetings.actions.breakout, which also moves the media)."""

    list_display = ("__str__", "instance_link", "state", "round", "allow_choose", "countdown_seconds", "updated_at")
    list_filter = ("state", "created_at")
    search_fields = ("=instance__uuid", "=instance__meeting__id")
    list_select_related = ("instance",)
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in BreakoutSession._meta.fields]
    inlines = (BreakoutRoomInline,)

    @admin.display(description="instance")
    def instance_link(self, session):
        return link(session.instance)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BreakoutAssignmentInline(admin.TabularInline):
    model = BreakoutAssignment
    fields = ("participant",)
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(BreakoutRoom)
class BreakoutRoomAdmin(admin.ModelAdmin):
    list_display = ("name", "session_link", "position", "conference_id")
    search_fields = ("name", "=conference_id", "=session__instance__uuid")
    list_select_related = ("session",)
    readonly_fields = [field.name for field in BreakoutRoom._meta.fields]
    inlines = (BreakoutAssignmentInline,)

    @admin.display(description="breakout session")
    def session_link(self, room):
        return link(room.session)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BreakoutAssignment)
class BreakoutAssignmentAdmin(admin.ModelAdmin):
    list_display = ("participant_link", "room_link")
    search_fields = ("participant__name", "participant__email", "room__name")
    list_select_related = ("participant", "room")
    readonly_fields = ("room", "participant")

    @admin.display(description="participant")
    def participant_link(self, assignment):
        return link(assignment.participant)

    @admin.display(description="room")
    def room_link(self, assignment):
        return link(assignment.room)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
