from django.contrib import admin

from mind.models import Conference, Message, Participant, Streaming, Utterance


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("name", "role", "layout", "priority", "online", "media_audio", "media_video")
    readonly_fields = ("online", "media_audio", "media_video")
    can_delete = False
    show_change_link = True


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "layout", "recording_state", "transcription_started", "created_at", "ending_at")
    list_filter = ("recording_state", "layout")
    search_fields = ("name", "id")
    readonly_fields = ("id", "application_id", "janus_room_id", "recording_segments", "created_at")
    inlines = [ParticipantInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "conference", "role", "online")
    list_filter = ("role", "online")
    search_fields = ("name", "id")
    # The token hash is never shown: it is useless to an admin and should not leak.
    exclude = ("token_hash",)
    readonly_fields = ("id", "conference", "online", "media_audio", "media_video", "secondary_audio", "secondary_video")


@admin.register(Streaming)
class StreamingAdmin(admin.ModelAdmin):
    list_display = ("id", "conference", "url", "alive")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "conference", "sent_by", "sent_to", "sent_at")


@admin.register(Utterance)
class UtteranceAdmin(admin.ModelAdmin):
    list_display = ("conference", "timestamp", "participant_id", "text")
