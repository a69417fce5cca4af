"""Admin of the embedded engine's rows: conferences, participants (token hashes never shown),
persistent chat, streamings (the stream key in the URL is masked in lists), transcript lines, and the
retained recordings with their holds. What the engine computes is read-only here. Links to the
meeting side go by label (config.admin_links): the engine imports no product app."""

from urllib.parse import urlsplit

from django.contrib import admin
from django.db.models import Count

from config.admin_links import changelist_link, link
from mind.models import Conference, Message, Participant, RecordingHold, RetainedRecording, Streaming, Utterance


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("name", "role", "layout", "priority", "online", "media_audio", "media_video")
    readonly_fields = ("online", "media_audio", "media_video")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # participants are made through the Mind API, which hands out their token


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "layout", "recording_state", "recording_media_state", "transcription_started",
                    "created_at", "ending_at")
    list_filter = ("recording_state", "recording_media_state", "layout", "transcription_started", "created_at")
    search_fields = ("name", "=id", "=application_id")
    date_hierarchy = "created_at"
    readonly_fields = ("id", "application_id", "janus_room_id", "recording_state", "recording_segments",
                       "recording_media_state", "recording_media_error", "transcription_completed_at", "created_at",
                       "related_links")
    inlines = [ParticipantInline]

    def has_delete_permission(self, request, obj=None):
        return False  # the engine deletes conferences (meeting end, expiry), with their Janus rooms

    @admin.display(description="related")
    def related_links(self, conference):
        if conference.pk is None:
            return "—"
        return " · ".join([
            changelist_link("meetings.instance", "meeting instance", conference_id=str(conference.pk)),
            changelist_link(Message, "chat", conference__id__exact=conference.pk),
            changelist_link(Utterance, "transcript", conference__id__exact=conference.pk),
            changelist_link(Streaming, "streamings", conference__id__exact=conference.pk),
            changelist_link("qos.qosminute", "quality", conference_id=conference.pk),
        ])


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "conference_link", "role", "online", "media_audio", "media_video", "created_at")
    list_filter = ("role", "online", "created_at")
    search_fields = ("name", "=id", "=conference__id")
    list_select_related = ("conference",)
    date_hierarchy = "created_at"
    # The token hash is never shown: it is useless to an admin and should not leak.
    exclude = ("token_hash",)
    readonly_fields = ("id", "conference", "online", "media_audio", "media_video", "secondary_audio", "secondary_video",
                       "sip_status", "created_at")

    @admin.display(description="conference", ordering="conference")
    def conference_link(self, participant):
        return link(participant.conference)

    def has_add_permission(self, request):
        return False  # made through the Mind API, which hands out the token

    def has_delete_permission(self, request, obj=None):
        return False  # removed through the Mind API or the room, which also end the media session


def _masked(url: str) -> str:
    """An RTMP destination without its path, where the stream key lives."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}/…" if parts.scheme else "…"


@admin.register(Streaming)
class StreamingAdmin(admin.ModelAdmin):
    list_display = ("id", "conference_link", "destination", "alive", "created_at")
    list_filter = ("alive", "created_at")
    search_fields = ("=id", "=conference__id")
    list_select_related = ("conference",)
    date_hierarchy = "created_at"
    readonly_fields = ("id", "conference", "url", "alive", "created_at")

    @admin.display(description="conference", ordering="conference")
    def conference_link(self, streaming):
        return link(streaming.conference)

    @admin.display(description="destination")
    def destination(self, streaming):
        return _masked(streaming.url)

    def has_add_permission(self, request):
        return False  # started through the Mind API (destination checks, the streamer process)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "conference_link", "sent_by", "sent_to", "sent_at", "short_text")
    list_filter = ("sent_at",)
    search_fields = ("text", "=conference__id", "=sent_by")
    list_select_related = ("conference",)
    raw_id_fields = ("conference",)
    date_hierarchy = "sent_at"

    @admin.display(description="conference", ordering="conference")
    def conference_link(self, message):
        return link(message.conference)

    @admin.display(description="text")
    def short_text(self, message):
        return message.text[:80]


@admin.register(Utterance)
class UtteranceAdmin(admin.ModelAdmin):
    list_display = ("conference_link", "timestamp", "participant_id", "short_text")
    search_fields = ("text", "=conference__id", "=participant_id")
    list_select_related = ("conference",)
    raw_id_fields = ("conference",)

    @admin.display(description="conference", ordering="conference")
    def conference_link(self, utterance):
        return link(utterance.conference)

    @admin.display(description="text")
    def short_text(self, utterance):
        return utterance.text[:80]


class RecordingHoldInline(admin.TabularInline):
    model = RecordingHold
    extra = 0
    fields = ("holder", "taken_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RetainedRecording)
class RetainedRecordingAdmin(admin.ModelAdmin):
    """Recording media kept beyond its conference while someone holds it (mind.recording_retention).
    Everything here is the engine's bookkeeping: read-only."""

    list_display = ("conference_id", "name", "media_state", "created_at", "conference_deleted_at", "hold_count")
    list_filter = ("media_state", "created_at")
    search_fields = ("=conference_id", "=application_id", "name")
    date_hierarchy = "created_at"
    inlines = [RecordingHoldInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(hold_count=Count("holds"))

    @admin.display(description="holds", ordering="hold_count")
    def hold_count(self, recording):
        return recording.hold_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # holds are released by their holders; media is deleted when none remains


@admin.register(RecordingHold)
class RecordingHoldAdmin(admin.ModelAdmin):
    list_display = ("recording_link", "holder", "taken_at")
    list_filter = ("holder", "taken_at")
    search_fields = ("=recording__conference_id", "holder")
    list_select_related = ("recording",)
    date_hierarchy = "taken_at"

    @admin.display(description="recording", ordering="recording")
    def recording_link(self, hold):
        return link(hold.recording, hold.recording_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # holds are released by their holders; media is deleted when none remains
