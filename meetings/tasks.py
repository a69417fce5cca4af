"""Celery tasks of the meetings app. Each is idempotent: running it twice does no harm."""

from __future__ import annotations

from smtplib import SMTPException

import requests
from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from config import outbound
from meetings.actions import mail
from meetings.models import Meeting, SentCancellation, WebhookDelivery
from meetings.webhook_signing import encode, signed_headers

WEBHOOK_TIMEOUT = 10


class DeliveryFailed(Exception):
    pass


@shared_task(bind=True, autoretry_for=(DeliveryFailed, requests.RequestException), retry_backoff=2,
             retry_backoff_max=600, retry_jitter=False, max_retries=8)
def deliver_webhook(self, delivery_id: int) -> str:
    """POSTs one webhook delivery; retried with backoff until the endpoint answers 2xx."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.delivered_at is not None:
        return "skipped"
    body = encode(delivery.payload)
    delivery.attempts += 1
    try:
        outbound.check_url(delivery.endpoint.url, schemes=("http", "https"))  # at connect time (SSRF)
    except outbound.RefusedDestination as refused:
        delivery.last_error = f"refused: {refused}"[:2000]
        delivery.save(update_fields=["attempts", "last_error"])
        return "refused"  # a policy answer, not a network error: retrying cannot help
    try:
        response = requests.post(delivery.endpoint.url, data=body, timeout=WEBHOOK_TIMEOUT,
                                 headers=signed_headers(delivery.endpoint.secret_token, body),
                                 allow_redirects=False)
    except requests.RequestException as exc:
        delivery.last_error = str(exc)[:2000]
        delivery.save(update_fields=["attempts", "last_error"])
        raise
    delivery.last_status = response.status_code
    if 200 <= response.status_code < 300:
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["attempts", "last_status", "delivered_at", "last_error"])
        return "delivered"
    delivery.last_error = f"HTTP {response.status_code}"
    delivery.save(update_fields=["attempts", "last_status", "last_error"])
    raise DeliveryFailed(f"{delivery.endpoint.url} answered {response.status_code}")



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
