from django.contrib import admin

from recordings.models import AccountRecordingSettings, CloudRecording, RecordingFile


class RecordingFileInline(admin.TabularInline):
    model = RecordingFile
    extra = 0
    fields = ("file_type", "recording_type", "participant_name", "status", "file_size", "checksum", "trashed_at")
    readonly_fields = fields
    can_delete = False


@admin.register(CloudRecording)
class CloudRecordingAdmin(admin.ModelAdmin):
    list_display = ("topic", "kind", "meeting_id", "start_time", "status", "account", "trashed_at")
    list_filter = ("kind", "status")
    search_fields = ("topic", "meeting_uuid", "=meeting_id")
    readonly_fields = ("conference_id", "meeting_uuid", "share_token", "completed_at", "collected_segments")
    inlines = [RecordingFileInline]


@admin.register(AccountRecordingSettings)
class AccountRecordingSettingsAdmin(admin.ModelAdmin):
    list_display = ("account", "record_audio_file_each_participant")
    search_fields = ("account__name", "account__public_id")
    autocomplete_fields = ("account",)
