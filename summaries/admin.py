"""Admin of meeting summaries, the account's and meeting's summary choices, and the AI assistants
with their runs. What the summarizer and assistants produced (transcript, content, answers) is
read-only; "summarise again" goes through summaries.services like the page and the API."""

from django.contrib import admin, messages
from django.db import transaction

from config.admin_links import link
from summaries import services
from summaries.models import AccountSummarySettings, Assistant, AssistantRun, MeetingSummary, MeetingSummarySettings


@admin.register(AccountSummarySettings)
class AccountSummarySettingsAdmin(admin.ModelAdmin):
    list_display = ("account", "auto_summary", "style")
    list_filter = ("auto_summary", "style")
    search_fields = ("account__name", "account__public_id")
    list_select_related = ("account",)
    autocomplete_fields = ("account",)


@admin.register(MeetingSummarySettings)
class MeetingSummarySettingsAdmin(admin.ModelAdmin):
    list_display = ("meeting_link", "auto_summary")
    list_filter = ("auto_summary",)
    search_fields = ("=meeting__id", "meeting__topic")
    list_select_related = ("meeting",)
    autocomplete_fields = ("meeting",)

    @admin.display(description="meeting", ordering="meeting")
    def meeting_link(self, choice):
        return link(choice.meeting)


@admin.register(MeetingSummary)
class MeetingSummaryAdmin(admin.ModelAdmin):
    list_display = ("instance_link", "meeting_link", "account", "state", "used_backend", "style", "created_at",
                    "completed_at")
    list_filter = ("state", "used_backend", "style", "transcript_complete", "created_at")
    search_fields = ("=instance__uuid", "=instance__meeting__id", "instance__meeting__topic", "account__name")
    list_select_related = ("instance__meeting", "account")
    autocomplete_fields = ("account",)
    raw_id_fields = ("instance",)
    date_hierarchy = "created_at"
    readonly_fields = ("state", "failure_reason", "transcript", "transcript_complete", "content", "used_backend",
                       "edited", "done_steps", "attempts", "generation", "created_at", "started_at", "completed_at",
                       "modified_at")
    actions = ("summarise_again",)

    @admin.display(description="instance", ordering="instance")
    def instance_link(self, summary):
        return link(summary.instance)

    @admin.display(description="meeting")
    def meeting_link(self, summary):
        return link(summary.instance.meeting)

    @admin.action(description="Summarise the selected meetings again (same options)")
    def summarise_again(self, request, queryset):
        queued, refused = 0, []
        for summary in queryset.select_related("instance__meeting"):
            try:
                with transaction.atomic():
                    services.request_summary(summary.instance, style=summary.style, word_limit=summary.word_limit,
                                             language=summary.language, backend=summary.backend)
            except services.SummaryError as refusal:
                refused.append(f"{summary.instance.uuid}: {refusal}")
            else:
                queued += 1
        self.message_user(request, f"Queued {queued} summary(ies) for the summarizer.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)


@admin.register(Assistant)
class AssistantAdmin(admin.ModelAdmin):
    list_display = ("name", "account", "created_by", "created_at", "updated_at")
    list_filter = ("created_at",)
    search_fields = ("name", "instructions", "account__name", "created_by__email")
    list_select_related = ("account", "created_by")
    autocomplete_fields = ("account", "created_by")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "updated_at")


@admin.register(AssistantRun)
class AssistantRunAdmin(admin.ModelAdmin):
    list_display = ("assistant_link", "instance_link", "state", "requested_by", "backend", "created_at",
                    "completed_at")
    list_filter = ("state", "backend", "created_at")
    search_fields = ("assistant__name", "=instance__uuid", "=instance__meeting__id", "requested_by__email")
    list_select_related = ("assistant", "instance", "requested_by")
    raw_id_fields = ("assistant", "instance", "requested_by")
    date_hierarchy = "created_at"
    readonly_fields = ("instructions", "state", "failure_reason", "answer", "quotes", "backend", "created_at",
                       "completed_at")

    @admin.display(description="assistant", ordering="assistant__name")
    def assistant_link(self, run):
        return link(run.assistant)

    @admin.display(description="instance", ordering="instance")
    def instance_link(self, run):
        return link(run.instance)

    def has_add_permission(self, request):
        return False  # runs are started from the meeting's page or the API, which queue the assistant
