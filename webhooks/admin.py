from django.contrib import admin

from webhooks.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("url", "account", "status", "events", "created_at")
    list_filter = ("status",)
    search_fields = ("url", "account__name")
    raw_id_fields = ("account", "application")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "subscription", "state", "attempts", "last_status", "created_at", "delivered_at")
    list_filter = ("state", "event")
    readonly_fields = [field.name for field in Delivery._meta.fields]
