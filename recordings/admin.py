"""Admin of cloud recordings and their files. Deleting goes to trash first, as everywhere: the admin
cannot delete a recording or a file, its "trash" action calls recordings.services (which also sends
the recording.trashed event), and the trash empties itself after RECORDINGS_TRASH_DAYS."""

from django.contrib import admin, messages

from config.admin_links import changelist_link, label_link, link
from config.api import ZoomAPIError
from recordings import services
from recordings.models import AccountRecordingSettings, CloudRecording, RecordingAccessDay, RecordingFile


class TrashedFilter(admin.SimpleListFilter):
    title = "trash"
    parameter_name = "trashed"

    def lookups(self, request, model_admin):
        return (("yes", "In the trash"), ("no", "Not trashed"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(trashed_at__isnull=self.value() == "no")
        return queryset


class RecordingFileInline(admin.TabularInline):
    model = RecordingFile
    extra = 0
    fields = ("file_type", "recording_type", "participant_name", "status", "file_size", "checksum", "trashed_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CloudRecording)
class CloudRecordingAdmin(admin.ModelAdmin):
    list_display = ("topic", "kind", "meeting", "host_link", "account", "start_time", "duration", "status",
                    "trashed_at")
    list_filter = ("kind", "status", TrashedFilter, "start_time")
    search_fields = ("topic", "=meeting_uuid", "=meeting_id", "=conference_id", "host__email", "account__name")
    list_select_related = ("account", "host")
    autocomplete_fields = ("account", "host")
    raw_id_fields = ("instance",)
    date_hierarchy = "start_time"
    # The engine's ids, what collection computed, and the share link's secrets are not edited here.
    readonly_fields = ("id", "conference_id", "meeting_uuid", "share_token", "password", "status", "progress",
                       "completed_at", "collected_segments", "trashed_at", "created_at", "related_links")
    inlines = [RecordingFileInline]
    actions = ("trash", "recover")

    @admin.display(description="meeting", ordering="meeting_id")
    def meeting(self, recording):
        return label_link("meetings.meeting", recording.meeting_id, recording.meeting_id or "—")

    @admin.display(description="host", ordering="host__email")
    def host_link(self, recording):
        return link(recording.host)

    @admin.display(description="related")
    def related_links(self, recording):
        if recording._state.adding:
            return "—"
        return " · ".join([
            link(recording.instance, "meeting instance") if recording.instance_id else "no instance",
            changelist_link(RecordingFile, "files", recording__id__exact=recording.pk),
            changelist_link(RecordingAccessDay, "views and downloads", recording__id__exact=recording.pk),
        ])

    def has_delete_permission(self, request, obj=None):
        return False  # trash first (the "trash" action); the trash empties itself

    @admin.action(description="Move the selected recordings to the trash")
    def trash(self, request, queryset):
        trashed, skipped = 0, 0
        for recording in queryset:
            try:
                services.trash_recording(recording)
            except ZoomAPIError:  # already in the trash, nothing left to trash
                skipped += 1
            else:
                trashed += 1
        self.message_user(request, f"Moved {trashed} recording(s) to the trash"
                                   + (f"; {skipped} already were." if skipped else "."), messages.SUCCESS)

    @admin.action(description="Recover the selected recordings from the trash")
    def recover(self, request, queryset):
        recovered, skipped = 0, 0
        for recording in queryset:
            try:
                services.recover_recording(recording)
            except ZoomAPIError:  # nothing in the trash
                skipped += 1
            else:
                recovered += 1
        self.message_user(request, f"Recovered {recovered} recording(s)"
                                   + (f"; {skipped} had nothing in the trash." if skipped else "."), messages.SUCCESS)


@admin.register(RecordingFile)
class RecordingFileAdmin(admin.ModelAdmin):
    list_display = ("id", "recording_link", "file_type", "recording_type", "participant_name", "status", "file_size",
                    "recording_start", "trashed_at")
    list_filter = ("file_type", "status", TrashedFilter, "recording_start")
    search_fields = ("=id", "=recording__id", "=recording__meeting_id", "recording__topic", "participant_name")
    list_select_related = ("recording",)
    date_hierarchy = "recording_start"
    # Written by collection: what is stored, where, and its verified checksum.
    readonly_fields = ("id", "recording", "file_type", "recording_type", "file_extension", "content_type",
                       "storage_name", "file_size", "checksum", "status", "recording_start", "recording_end",
                       "segments", "participant_id", "participant_name", "trashed_at", "created_at")
    actions = ("trash",)

    @admin.display(description="recording", ordering="recording")
    def recording_link(self, file):
        return link(file.recording)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # trash first

    @admin.action(description="Move the selected files to the trash")
    def trash(self, request, queryset):
        trashed, skipped = 0, 0
        for file in queryset.select_related("recording"):
            try:
                services.trash_file(file.recording, file)
            except ZoomAPIError:
                skipped += 1
            else:
                trashed += 1
        self.message_user(request, f"Moved {trashed} file(s) to the trash"
                                   + (f"; {skipped} already were." if skipped else "."), messages.SUCCESS)


@admin.register(AccountRecordingSettings)
class AccountRecordingSettingsAdmin(admin.ModelAdmin):
    list_display = ("account", "record_audio_file_each_participant")
    list_filter = ("record_audio_file_each_participant",)
    search_fields = ("account__name", "account__public_id")
    list_select_related = ("account",)
    autocomplete_fields = ("account",)


@admin.register(RecordingAccessDay)
class RecordingAccessDayAdmin(admin.ModelAdmin):
    """Counted by the play and download views: read-only."""

    list_display = ("recording_link", "date", "views", "downloads")
    list_filter = ("date",)
    search_fields = ("=recording__id", "=recording__meeting_id", "recording__topic")
    list_select_related = ("recording",)
    date_hierarchy = "date"
    readonly_fields = ("recording", "date", "views", "downloads")

    @admin.display(description="recording", ordering="recording")
    def recording_link(self, day):
        return link(day.recording)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
