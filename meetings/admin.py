from django.contrib import admin

from meetings.models import Instance, Meeting, Occurrence, Participant


class OccurrenceInline(admin.TabularInline):
    model = Occurrence
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "type", "host", "start_time", "timezone", "deleted_at")
    list_filter = ("type",)
    search_fields = ("id", "topic", "host__email")
    raw_id_fields = ("host", "account")
    inlines = [OccurrenceInline]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("name", "email", "role", "status", "muted", "joined_at", "left_at")
    readonly_fields = fields


@admin.register(Instance)
class InstanceAdmin(admin.ModelAdmin):
    list_display = ("uuid", "meeting", "started_at", "ended_at", "recording_state")
    search_fields = ("uuid", "meeting__id", "meeting__topic")
    raw_id_fields = ("meeting",)
    inlines = [ParticipantInline]
