from django.contrib import admin

from summaries.models import AccountSummarySettings, MeetingSummary


@admin.register(MeetingSummary)
class MeetingSummaryAdmin(admin.ModelAdmin):
    list_display = ("instance", "account", "state", "used_backend", "style", "completed_at")
    list_filter = ("state", "used_backend", "style")
    readonly_fields = ("transcript", "content")


admin.register(AccountSummarySettings)(admin.ModelAdmin)
