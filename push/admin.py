"""Admin of push devices and deliveries. A device's token is the push service's address of one app
install: listed masked, never editable; an operator can only revoke devices (the user's app registers
again). Deliveries are the read-only log of what was sent."""

from django.contrib import admin, messages

from config.admin_links import changelist_link, link
from push import services
from push.models import Delivery, Device


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user_link", "kind", "platform", "app_id", "environment", "registered_at",
                    "last_used_at")
    list_filter = ("kind", "platform", "environment", "registered_at")
    search_fields = ("=public_id", "user__email", "app_id", "name")
    list_select_related = ("user",)
    date_hierarchy = "registered_at"
    # The token itself stays out of the pages (it addresses the install); __str__ shows its last 8 characters.
    exclude = ("token",)
    readonly_fields = ("public_id", "user", "kind", "platform", "app_id", "environment", "name", "created_at",
                       "registered_at", "last_used_at", "deliveries")
    actions = ("revoke",)

    @admin.display(description="user", ordering="user__email")
    def user_link(self, device):
        return link(device.user)

    @admin.display(description="deliveries")
    def deliveries(self, device):
        return changelist_link(Delivery, "deliveries", device__id__exact=device.pk)

    def has_add_permission(self, request):
        return False  # the user's app registers its token through /v2/push/devices

    @admin.action(description="Revoke the selected devices (no more pushes until the app registers again)")
    def revoke(self, request, queryset):
        count = 0
        for device in queryset.select_related("user"):
            services.revoke_device(device.user, device.public_id)
            count += 1
        self.message_user(request, f"Revoked {count} device(s).", messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "device_link", "status", "attempts", "last_status", "created_at", "sent_at")
    list_filter = ("status", "event", "created_at")
    search_fields = ("=push_id", "event", "device__user__email")
    list_select_related = ("device", "device__user")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Delivery._meta.fields]
    show_full_result_count = False  # the log grows with every notice

    @admin.display(description="device")
    def device_link(self, delivery):
        return link(delivery.device) if delivery.device_id else "— (revoked)"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
