"""Celery entry points of the webhooks app. Both are idempotent: a delivery is claimed with a lease
before it is sent, so a duplicate task, or the sweep finding one already in flight, sends nothing."""

from __future__ import annotations

from celery import shared_task

from webhooks import delivery


@shared_task(ignore_result=True)
def deliver(delivery_pk: int) -> str:
    """One attempt at one delivery (queued on commit by `emit`, by the sweep and by a redeliver).
    When it is settled, the same meeting's next event, which was waiting for it, goes at once."""
    outcome = delivery.attempt(delivery_pk)
    if outcome in ("delivered", "failed", "refused"):
        following = delivery.next_in_line(delivery_pk)
        if following is not None:
            deliver.delay(following)
    return outcome


@shared_task(ignore_result=True)
def deliver_due() -> int:
    """Beat: queues every delivery whose retry is due (and any whose worker died mid-attempt)."""
    due = delivery.due_deliveries()
    for pk in due:
        deliver.delay(pk)
    return len(due)
