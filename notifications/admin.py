"""Admin of people's notification choices, the reminders sent (the beat task's idempotency ledger)
and the invitations sent from meeting pages."""

from django.contrib import admin

from config.admin_links import label_link, link
from notifications.models import NotificationSettings, PageInvitation, SentReminder


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user_link", "reminder_minutes", "cancellation_notices")
    list_filter = ("reminder_minutes", "cancellation_notices")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    autocomplete_fields = ("user",)

    @admin.display(description="user", ordering="user__email")
    def user_link(self, choice):
        return link(choice.user)


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """What was sent is a record: read-only (deleting a row lets that reminder be sent again)."""

    list_display = ("user_link", "meeting", "start_time", "sent_at")
    list_filter = ("sent_at",)
    search_fields = ("user__email", "=meeting_id")
    list_select_related = ("user",)
    date_hierarchy = "sent_at"

    @admin.display(description="user", ordering="user__email")
    def user_link(self, reminder):
        return link(reminder.user)

    @admin.display(description="meeting", ordering="meeting_id")
    def meeting(self, reminder):
        return label_link("meetings.meeting", reminder.meeting_id, reminder.meeting_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PageInvitation)
class PageInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "meeting", "invited_at")
    list_filter = ("invited_at",)
    search_fields = ("email", "=meeting_id")
    date_hierarchy = "invited_at"

    @admin.display(description="meeting", ordering="meeting_id")
    def meeting(self, invitation):
        return label_link("meetings.meeting", invitation.meeting_id, invitation.meeting_id)

    def has_add_permission(self, request):
        return False  # sent from the meeting page, which also sends the e-mail

    def has_change_permission(self, request, obj=None):
        return False
