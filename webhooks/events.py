"""`emit`: the one way the product's apps send an event to an account's subscriptions.

The body is Zoom's: `{"event", "event_ts" (epoch ms), "payload": {"account_id" (the account's public
id), "object"}}`. `emit` records one `Delivery` per active subscription that wants the event, inside
the caller's transaction, and hands each to the worker once that transaction commits: a request never
waits for a receiver, and a rolled-back change sends nothing.
"""

from __future__ import annotations

import time
from functools import partial

from django.db import transaction
from django.utils import timezone

from webhooks.delivery import GIVE_UP_AFTER
from webhooks.models import Delivery, Subscription
from webhooks.tasks import deliver


def emit(account, event: str, payload_object: dict, *, meeting_key: str | None = None) -> int:
    """Queues `event` for every active subscription of `account` that wants it; returns how many.
    `meeting_key` orders deliveries for one meeting (default: the object's meeting `id`)."""
    event_ts = int(time.time() * 1000)
    body = {
        "event": event,
        "event_ts": event_ts,
        "payload": {"account_id": account.public_id, "object": payload_object},
    }
    if meeting_key is None:
        meeting_key = str(payload_object.get("id") or "")
    now = timezone.now()
    count = 0
    for subscription in Subscription.objects.filter(account=account, status=Subscription.Status.ACTIVE):
        if not subscription.wants(event):
            continue
        delivery = Delivery.objects.create(subscription=subscription, event=event, event_ts=event_ts,
                                           meeting_key=meeting_key[:64], body=body, next_attempt_at=now,
                                           give_up_at=now + GIVE_UP_AFTER)
        transaction.on_commit(partial(deliver.delay, delivery.pk))
        count += 1
    return count
