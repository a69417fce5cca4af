"""Admin of quality-of-service data: raw samples, the per-minute roll-up and live ratings. They are
measurements, so read-only (retention deletes raw samples on its own). The tables grow fast: no
full COUNT(*) per page, and links to the engine's conference go by id (it may be gone)."""

from django.contrib import admin

from config.admin_links import changelist_link, label_link
from qos.models import QosClient, QosMinute, QosRating, QosSample


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _conference(row) -> str:
    return label_link("mind.conference", row.conference_id, row.conference_id)


def _meeting_instance(row) -> str:
    return changelist_link("meetings.instance", "meeting instance", conference_id=str(row.conference_id))


@admin.register(QosSample)
class QosSampleAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "conference_id", "participant_id", "source", "direction", "media", "kind",
                    "bitrate_bps", "rtt_ms", "jitter_ms", "loss_pct", "protocol")
    list_filter = ("source", "direction", "media", "kind", "protocol", "received_at")
    search_fields = ("=conference_id", "=participant_id", "=peer_id")
    date_hierarchy = "received_at"
    readonly_fields = ("conference", "meeting_instance")

    @admin.display(description="conference")
    def conference(self, sample):
        return _conference(sample)

    @admin.display(description="meeting")
    def meeting_instance(self, sample):
        return _meeting_instance(sample)


@admin.register(QosMinute)
class QosMinuteAdmin(ReadOnlyAdmin):
    list_display = ("minute", "conference_id", "participant_id", "source", "direction", "media", "kind", "samples",
                    "bitrate_avg", "rtt_avg", "jitter_avg", "loss_avg")
    list_filter = ("source", "direction", "media", "kind", "minute")
    search_fields = ("=conference_id", "=participant_id")
    date_hierarchy = "minute"
    readonly_fields = ("conference", "meeting_instance")

    @admin.display(description="conference")
    def conference(self, minute):
        return _conference(minute)

    @admin.display(description="meeting")
    def meeting_instance(self, minute):
        return _meeting_instance(minute)


@admin.register(QosRating)
class QosRatingAdmin(ReadOnlyAdmin):
    list_display = ("participant_id", "conference_id", "rating", "changed_at")
    list_filter = ("rating", "changed_at")
    search_fields = ("=conference_id", "=participant_id")
    date_hierarchy = "changed_at"
    readonly_fields = ("conference", "meeting_instance")

    @admin.display(description="conference")
    def conference(self, rating):
        return _conference(rating)

    @admin.display(description="meeting")
    def meeting_instance(self, rating):
        return _meeting_instance(rating)


@admin.register(QosClient)
class QosClientAdmin(ReadOnlyAdmin):
    list_display = ("participant_id", "conference_id", "device", "os", "version", "network_type", "updated_at")
    list_filter = ("device", "network_type")
    search_fields = ("=conference_id", "=participant_id")
    readonly_fields = ("conference", "meeting_instance")

    @admin.display(description="conference")
    def conference(self, client):
        return _conference(client)

    @admin.display(description="meeting")
    def meeting_instance(self, client):
        return _meeting_instance(client)
