"""E-mail notification choices and what was sent (docs/design.md: E-mail).

`NotificationSettings` is a person's choice (the settings page): "starts soon" reminders for the
meetings they host or co-host as alternative host, and how many minutes before; cancellation
notices; "your recording / summary is ready" notices. Without a row the defaults apply (reminders on,
10 minutes; cancellations and ready notices on).

`SentReminder` makes the beat task idempotent: one row per (user, meeting, start), inserted before
the message is sent, so a retried or overlapping run never sends twice.
`PageInvitation` remembers who was invited from the meeting page, so a cancellation reaches them."""

from django.conf import settings
from django.db import models

REMINDER_CHOICES = [(0, "Off"), (5, "5 minutes before"), (10, "10 minutes before"), (15, "15 minutes before"),
                    (30, "30 minutes before")]


class NotificationSettings(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings")
    reminder_minutes = models.PositiveSmallIntegerField(default=10, choices=REMINDER_CHOICES)
    cancellation_notices = models.BooleanField(default=True)
    ready_notices = models.BooleanField(default=True)  # "your recording / summary is ready"

    @classmethod
    def of(cls, user) -> "NotificationSettings":
        return cls.objects.filter(user=user).first() or cls(user=user)


class SentReminder(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting_id = models.BigIntegerField()
    start_time = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "meeting_id", "start_time"], name="one_reminder_per_start")]


class PageInvitation(models.Model):
    meeting_id = models.BigIntegerField(db_index=True)
    email = models.EmailField()
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting_id", "email"], name="one_invitation_per_address")]
