"""Push devices and what was sent to them (docs/push.md).

`Device`: one push token of one app install, owned by one user. A token is unique per kind: when
another user signs in on the same install and registers it, the token moves to them (the install
gets the pushes of whoever is signed in). `app_id` is the iOS/macOS bundle id or the Android package
name; the APNs topic is derived from it (`<bundle id>` for alerts, `<bundle id>.voip` for VoIP).

`Delivery`: one notice for one device, written in the transaction that caused it and sent by the
`push.tasks.send_push` task after commit. Its status makes the task idempotent (only `pending`
deliveries are sent) and its `push_id` travels as `apns-id`, so the retries of one delivery are one
notification in APNs' logs. Deliveries outlive their device (SET_NULL) for the record, and are
deleted after PUSH_DELIVERY_RETENTION_DAYS.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models


def new_device_id() -> str:
    return secrets.token_urlsafe(16)


class Device(models.Model):
    class Kind(models.TextChoices):
        APNS = "apns", "APNs device token"
        APNS_VOIP = "apns_voip", "APNs VoIP (PushKit) token"
        FCM = "fcm", "FCM registration token"

    class Platform(models.TextChoices):
        IOS = "ios"
        MACOS = "macos"
        ANDROID = "android"
        WINDOWS = "windows"
        LINUX = "linux"
        WEB = "web"

    class Environment(models.TextChoices):
        PRODUCTION = "production"
        DEVELOPMENT = "development"  # APNs sandbox: debug builds' tokens only work there

    public_id = models.CharField(max_length=32, unique=True, default=new_device_id, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_devices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    token = models.CharField(max_length=512)
    platform = models.CharField(max_length=16, choices=Platform.choices)
    app_id = models.CharField(max_length=255, help_text="Bundle id (APNs topic) or Android package name.")
    environment = models.CharField(max_length=16, choices=Environment.choices, default=Environment.PRODUCTION)
    name = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    registered_at = models.DateTimeField(help_text="The last time the app registered this token.")
    last_used_at = models.DateTimeField(null=True, blank=True, help_text="The last push the service accepted.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "token"], name="push_one_owner_per_token")]
        indexes = [models.Index(fields=["user", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} …{self.token[-8:]} ({self.platform})"

    @property
    def is_apns(self) -> bool:
        return self.kind in (self.Kind.APNS, self.Kind.APNS_VOIP)


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        DEAD_TOKEN = "dead_token"  # the service said the token is gone: the device was removed
        FAILED = "failed"  # refused for good, or retries used up

    push_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    device = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, related_name="deliveries")
    event = models.CharField(max_length=64)
    message = models.JSONField(help_text="The provider-neutral notice (push.notices.Notice.as_dict).")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(help_text="When the next attempt is due (the sweep re-queues overdue ones).")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"]), models.Index(fields=["status", "due_at"])]

    def __str__(self):
        return f"{self.event} #{self.pk} ({self.status})"
