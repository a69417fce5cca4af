"""Sending one Delivery and recording what the service said (called by `push.tasks.send_push`).

Idempotent: only a `pending` delivery is sent, and its row is marked in the same step as the answer
is read, so a task run twice (a redelivered message, a retry racing a slow first try) sends at most
once more than once, never to a removed device. A dead token removes the device, unless the app
registered the token again after the service declared it dead (APNs' 410 carries that time).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.db import transaction
from django.utils import timezone

from push.models import Delivery, Device
from push.notices import Notice
from push.senders import Result, sender_for

logger = logging.getLogger(__name__)


def deliver(delivery_id: int) -> Result | None:
    """Sends the delivery if it is still pending; None when there is nothing to do."""
    delivery = Delivery.objects.select_related("device").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return None
    device = delivery.device
    if device is None:  # revoked or pruned after the notice was queued
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, last_error="device removed")
        return None
    result = sender_for(device).send(device, Notice.from_dict(delivery.message), str(delivery.push_id))
    record(delivery, device, result)
    return result


def record(delivery: Delivery, device: Device, result: Result) -> None:
    now = timezone.now()
    fields: dict[str, object] = {"attempts": delivery.attempts + 1, "last_status": result.status,
              "last_error": "" if result.outcome == "sent" else result.reason[:500]}
    with transaction.atomic():
        if result.outcome == "sent":
            fields.update(status=Delivery.Status.SENT, sent_at=now)
            Device.objects.filter(pk=device.pk).update(last_used_at=now)
        elif result.outcome == "dead":
            fields.update(status=Delivery.Status.DEAD_TOKEN)
            prune(device, result)
        elif result.outcome == "failed":
            fields.update(status=Delivery.Status.FAILED)
            logger.warning("push %s to device %s refused: %s", delivery.push_id, device.public_id, result.reason)
        Delivery.objects.filter(pk=delivery.pk).update(**fields)


def prune(device: Device, result: Result) -> None:
    """Removes a device whose token the service declared dead (not one registered again since)."""
    stale = Device.objects.filter(pk=device.pk, token=device.token)
    if result.dead_since is not None:
        stale = stale.filter(registered_at__lt=datetime.fromtimestamp(result.dead_since, dt_timezone.utc))
    if stale.delete()[0]:
        logger.info("push device %s removed: %s (%s)", device.public_id, result.reason, result.status)


def postpone(delivery_id: int, seconds: int) -> None:
    Delivery.objects.filter(pk=delivery_id).update(due_at=timezone.now() + timedelta(seconds=seconds))


def give_up(delivery_id: int, reason: str) -> None:
    """Retries used up: the delivery failed."""
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED, last_error=f"gave up: {reason}"[:500])
