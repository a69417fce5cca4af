"""Celery entry points of the notifications app (scheduled by CELERY_BEAT_SCHEDULE)."""

from smtplib import SMTPException

from celery import shared_task

from notifications import services


@shared_task(bind=True, acks_late=True, max_retries=5, autoretry_for=(SMTPException, OSError),
             retry_backoff=True)
def send_meeting_reminders(self) -> int:
    """Every minute: "starts in N minutes" e-mails that are due (idempotent: each is sent once)."""
    return services.send_due_reminders()
