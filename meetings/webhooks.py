"""Zoom-style event notifications to an account's webhook endpoints.

Each delivery is a POST of `{"event", "event_ts", "payload"}` signed like Zoom's:
`x-zm-request-timestamp: <epoch seconds>` and `x-zm-signature: v0=<hex HMAC-SHA256 of
"v0:{timestamp}:{body}" keyed with the endpoint's secret token>`. Deliveries are recorded
and sent by a retried Celery task once the transaction that caused them commits.
"""

from __future__ import annotations

import time
from functools import partial

from django.db import transaction

from meetings.models import WebhookDelivery
from meetings.tasks import deliver_webhook
from meetings.webhook_signing import encode, signature, signed_headers  # noqa: F401  (this module's API)


def emit(account, event: str, payload_object: dict) -> int:
    """Queues `event` for every endpoint of `account` that wants it; returns how many."""
    body = {
        "event": event,
        "event_ts": int(time.time() * 1000),  # Zoom sends epoch milliseconds
        "payload": {"account_id": account.public_id, "object": payload_object},  # Zoom's account id, never our key
    }
    count = 0
    for endpoint in account.webhook_endpoints.filter(active=True):
        if not endpoint.wants(event):
            continue
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, payload=body)
        transaction.on_commit(partial(deliver_webhook.delay, delivery.pk))
        count += 1
    return count
