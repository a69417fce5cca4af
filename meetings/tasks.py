"""Celery tasks of the meetings app. Each is idempotent: running it twice does no harm."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.db import IntegrityError, transaction

from meetings.actions import mail
from meetings.models import Meeting, SentCancellation


@shared_task(bind=True, acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=True,
             max_retries=5)
def send_cancellation_notices(self, meeting_id: int, emails: list[str], occurrence_id: int = 0) -> int:
    """Sends the cancellation notice of a meeting (or of one occurrence) to each address once: the
    SentCancellation row and the send share a transaction, so a failed send is retried and a sent one
    never repeats. Returns how many were sent by this run."""
    meeting = Meeting.objects.select_related("host").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    occurrence = meeting.occurrences.filter(occurrence_id=occurrence_id).first() if occurrence_id else None
    sent = 0
    for email in dict.fromkeys(emails):
        try:
            with transaction.atomic():
                SentCancellation.objects.create(meeting_id=meeting_id, occurrence_id=occurrence_id, email=email)
                mail.cancellation_message(meeting, email, occurrence).send(fail_silently=False)
        except IntegrityError:
            continue  # sent before
        sent += 1
    return sent
