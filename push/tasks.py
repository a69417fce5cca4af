"""Celery entry points of the push app. Each is idempotent: running it twice does no harm."""

from __future__ import annotations

import random
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from push import delivery
from push.models import Delivery

MAX_BACKOFF_SECONDS = 3600


def backoff(retries: int, retry_after: int | None = None) -> int:
    """The service's Retry-After when it gave one, else exponential (5 s, 10 s, 20 s, ... at most
    10 minutes) with jitter, so workers that failed together do not come back together."""
    if retry_after is not None:
        return min(max(retry_after, 1), MAX_BACKOFF_SECONDS)
    base = min(5 * 2 ** retries, 600)
    return base + random.randint(0, base // 2)


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_push(self, delivery_id: int) -> str:
    """Sends one delivery; a 429, a 5xx, an expired credential or a network error is retried with
    backoff, up to PUSH_MAX_RETRIES times."""
    result = delivery.deliver(delivery_id)
    if result is None:
        return "skipped"
    if result.outcome != "retry":
        return result.outcome
    if self.request.retries >= settings.PUSH_MAX_RETRIES:
        delivery.give_up(delivery_id, result.reason)
        return "failed"
    countdown = backoff(self.request.retries, result.retry_after)
    delivery.postpone(delivery_id, countdown)
    raise self.retry(countdown=countdown)


@shared_task(acks_late=True)
def send_overdue() -> int:
    """Every few minutes: pending deliveries whose attempt is long overdue (the broker was away when
    they were queued, or a worker lost the retry) are queued again; sending stays idempotent."""
    now = timezone.now()
    overdue = list(Delivery.objects.filter(status=Delivery.Status.PENDING, due_at__lt=now - timedelta(minutes=5),
                                           created_at__gt=now - timedelta(days=1)).values_list("pk", flat=True)[:1000])
    for delivery_id in overdue:
        delivery.postpone(delivery_id, 0)
        send_push.delay(delivery_id)
    return len(overdue)


@shared_task(acks_late=True)
def expire_deliveries() -> int:
    """Hourly: forgets deliveries older than PUSH_DELIVERY_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.PUSH_DELIVERY_RETENTION_DAYS)
    return Delivery.objects.filter(created_at__lt=cutoff).delete()[0]
