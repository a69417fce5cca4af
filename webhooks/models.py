"""Event subscriptions (Zoom's "event notification endpoints") and the deliveries made to them.

A subscription belongs to an account, optionally to one of its OAuth applications. It receives
events only while `active`: it becomes active when its URL passes Zoom's `endpoint.url_validation`
handshake (`webhooks.subscriptions`), goes back to pending when its URL changes, and is disabled when
its endpoint has failed for a whole day (`webhooks.delivery`).
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"  # URL not (yet) validated: receives nothing
        ACTIVE = "active"
        DISABLED = "disabled"

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="webhook_subscriptions")
    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.CASCADE,
                                    null=True, blank=True, related_name="webhook_subscriptions")
    url = models.URLField("endpoint URL", max_length=1024)
    events = models.JSONField(default=list, blank=True, help_text='Event names, e.g. ["recording.started"]; empty = all.')
    secret_token = models.CharField(max_length=128, default=new_token,
                                    help_text="Signs each delivery (x-zm-signature) and the URL validation.")
    verification_token = models.CharField(max_length=128, default=new_token,
                                          help_text="Sent as the authorization header (Zoom's legacy check).")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    disabled_reason = models.CharField(max_length=255, blank=True)
    # When the endpoint's current run of failures began; cleared by a success (a day of them disables it).
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.url

    def wants(self, event: str) -> bool:
        return self.status == self.Status.ACTIVE and (not self.events or event in self.events)


class Delivery(models.Model):
    """One event to one subscription. Sent at least once: retried with backoff until `give_up_at`."""

    class State(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"  # given up (a day of failures, a refused destination, a disabled subscription)

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False,
                                   help_text="Sent as x-zm-trackingid; the same on every attempt (receivers deduplicate on it).")
    event = models.CharField(max_length=64)
    event_ts = models.BigIntegerField(help_text="Epoch milliseconds, as in the body.")
    # The meeting the event is about: deliveries for one meeting go out in event order.
    meeting_key = models.CharField(max_length=64, blank=True)
    body = models.JSONField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    give_up_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True, help_text="The first 1 KB of the last response body.")
    last_error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-event_ts", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhooks_due"),
            models.Index(fields=["subscription", "meeting_key", "event_ts"], name="webhooks_meeting_order"),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription}"
