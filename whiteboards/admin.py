"""Admin of the meetings' whiteboards: the drawing, its version and the kept PNG are what the room
wrote, so read-only; an operator may switch the host-only restriction."""

from django.contrib import admin

from config.admin_links import link
from whiteboards.models import Whiteboard


@admin.register(Whiteboard)
class WhiteboardAdmin(admin.ModelAdmin):
    list_display = ("instance_link", "meeting_link", "version", "png_version", "hosts_only", "updated_at")
    list_filter = ("hosts_only", "updated_at")
    search_fields = ("=instance__uuid", "=instance__meeting__id", "instance__meeting__topic")
    list_select_related = ("instance__meeting",)
    raw_id_fields = ("instance",)
    date_hierarchy = "created_at"
    readonly_fields = ("instance", "elements", "version", "png", "png_version", "created_at", "updated_at")

    @admin.display(description="instance", ordering="instance")
    def instance_link(self, board):
        return link(board.instance)

    @admin.display(description="meeting")
    def meeting_link(self, board):
        return link(board.instance.meeting)

    def has_add_permission(self, request):
        return False  # made by the room when someone first draws
