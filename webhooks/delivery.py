"""Sending deliveries: at least once, in event order per meeting, with backoff, give-up and auto-disable.

- `attempt(pk, now)` claims a due pending delivery with a lease (`next_attempt_at = now + LEASE`, one
  conditional UPDATE, so two workers never both send it), POSTs it signed through the outbound
  policy (`config.outbound`), and records the answer (status, first 1 KB, duration).
- A 2xx delivers it. Anything else schedules the next attempt after an exponential backoff with
  jitter (`backoff`), until `give_up_at` (a day after the event) when it fails for good. A
  destination the outbound policy refuses fails at once: retrying cannot help.
- Order: a delivery waits while an earlier event (by `event_ts`) for the same meeting to the same
  subscription is still pending; it goes when that one is delivered or given up.
- An endpoint that has failed for `DISABLE_AFTER` without a single success is disabled and the
  account's owners are told by e-mail.
- A worker that dies mid-attempt leaves the lease to expire; the beat sweep (`due_deliveries`) finds
  the delivery again. Every function takes `now` so tests can hold the clock.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config import outbound
from webhooks.models import Delivery, Subscription
from webhooks.signing import encode, signed_headers

TIMEOUT = 10  # seconds for one POST
LEASE = timedelta(seconds=TIMEOUT * 3)  # an attempt in flight is not started again before this
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=2)
GIVE_UP_AFTER = timedelta(hours=24)  # after the event (or a manual redeliver)
DISABLE_AFTER = timedelta(hours=24)
RESPONSE_KEPT = 1024  # bytes of the response body kept in the log



def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """The wait after the `attempts`-th failure: 30 s doubling to a 2 h cap, times a random factor in
    [0.5, 1) so receivers that come back are not hit by every sender at the same instant."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempts - 1, 0))
    return ceiling * (0.5 + (rng or random).random() / 2)


def request_headers(delivery: Delivery, body: bytes) -> dict:
    subscription = delivery.subscription
    headers = signed_headers(subscription.secret_token, body)
    headers["authorization"] = subscription.verification_token  # Zoom's legacy verification token
    headers["x-zm-trackingid"] = str(delivery.delivery_id)  # stable across retries: the deduplication key
    if subscription.application is not None:
        headers["clientid"] = subscription.application.client_id
    return headers


def waits_for_earlier(delivery: Delivery) -> bool:
    if not delivery.meeting_key:
        return False
    return Delivery.objects.filter(
        subscription_id=delivery.subscription_id, meeting_key=delivery.meeting_key, state=Delivery.State.PENDING,
    ).filter(Q(event_ts__lt=delivery.event_ts) | Q(event_ts=delivery.event_ts, pk__lt=delivery.pk)).exists()


def next_in_line(settled_pk: int) -> int | None:
    """The pending delivery that goes next for the meeting of a settled (delivered or given up) one."""
    settled = Delivery.objects.filter(pk=settled_pk).values("subscription_id", "meeting_key").first()
    if settled is None or not settled["meeting_key"]:
        return None
    return (Delivery.objects.filter(state=Delivery.State.PENDING, **settled)
            .order_by("event_ts", "pk").values_list("pk", flat=True).first())


def due_deliveries(now: datetime | None = None, limit: int = 1000) -> list[int]:
    now = now or timezone.now()
    return list(Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
                .order_by("event_ts", "pk").values_list("pk", flat=True)[:limit])


def attempt(pk: int, now: datetime | None = None) -> str:
    """One attempt; returns what happened: delivered, retrying, failed, refused, waiting, skipped."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_related("subscription__application").filter(pk=pk).first()
    if delivery is None or delivery.state != Delivery.State.PENDING:
        return "skipped"
    if delivery.subscription.status != Subscription.Status.ACTIVE:
        Delivery.objects.filter(pk=pk, state=Delivery.State.PENDING).update(
            state=Delivery.State.FAILED, next_attempt_at=None,
            last_error=f"subscription {delivery.subscription.status}")
        return "failed"
    if waits_for_earlier(delivery):
        return "waiting"
    claimed = Delivery.objects.filter(pk=pk, state=Delivery.State.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + LEASE, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return "skipped"  # not due yet, or another worker holds it
    delivery.refresh_from_db()
    try:
        outbound.check_url(delivery.subscription.url, schemes=("http", "https"))
    except outbound.RefusedDestination as refused:
        _finish(delivery, Delivery.State.FAILED, error=f"refused: {refused}")
        return "refused"
    body = encode(delivery.body)
    started = time.monotonic()
    try:
        response = requests.post(delivery.subscription.url, data=body, headers=request_headers(delivery, body),
                                 timeout=TIMEOUT, allow_redirects=False, stream=True)
        first_bytes = next(response.iter_content(RESPONSE_KEPT), b"")
        response.close()
    except requests.RequestException as exc:
        delivery.last_status = None
        delivery.last_response = ""
        return _failed(delivery, now, str(exc), started)
    delivery.last_status = response.status_code
    delivery.last_response = first_bytes.decode("utf-8", "replace")
    if 200 <= response.status_code < 300:
        delivery.duration_ms = int((time.monotonic() - started) * 1000)
        delivery.delivered_at = now
        _finish(delivery, Delivery.State.DELIVERED, error="")
        Subscription.objects.filter(pk=delivery.subscription_id).update(failing_since=None)
        return "delivered"
    return _failed(delivery, now, f"HTTP {response.status_code}", started)


def _finish(delivery: Delivery, state: str, error: str) -> None:
    delivery.state = state
    delivery.next_attempt_at = None
    delivery.last_error = error[:2000]
    delivery.save(update_fields=["state", "next_attempt_at", "last_error", "last_status", "last_response",
                                 "duration_ms", "delivered_at"])


def _failed(delivery: Delivery, now: datetime, error: str, started: float) -> str:
    delivery.duration_ms = int((time.monotonic() - started) * 1000)
    next_at = now + backoff(delivery.attempts)
    if next_at >= delivery.give_up_at:
        _finish(delivery, Delivery.State.FAILED, error=error)
        outcome = "failed"
    else:
        delivery.next_attempt_at = next_at
        delivery.last_error = error[:2000]
        delivery.save(update_fields=["next_attempt_at", "last_error", "last_status", "last_response", "duration_ms"])
        outcome = "retrying"
    _note_endpoint_failure(delivery.subscription_id, now)
    return outcome


@transaction.atomic
def _note_endpoint_failure(subscription_pk: int, now: datetime) -> None:
    subscription = Subscription.objects.select_for_update().get(pk=subscription_pk)
    if subscription.failing_since is None:
        subscription.failing_since = now
        subscription.save(update_fields=["failing_since", "updated_at"])
        return
    if subscription.status == Subscription.Status.ACTIVE and now - subscription.failing_since >= DISABLE_AFTER:
        disable(subscription, "The endpoint failed every delivery for 24 hours.")


def disable(subscription: Subscription, reason: str) -> None:
    """Stops deliveries to `subscription`, fails its pending ones and tells the account's owners."""
    subscription.status = Subscription.Status.DISABLED
    subscription.disabled_reason = reason
    subscription.save(update_fields=["status", "disabled_reason", "updated_at"])
    Delivery.objects.filter(subscription=subscription, state=Delivery.State.PENDING).update(
        state=Delivery.State.FAILED, next_attempt_at=None, last_error="subscription disabled")
    recipients = list(subscription.account.users.filter(role="owner", is_active=True).values_list("email", flat=True))
    subject = "Webhook endpoint disabled"
    text = (f"Confer stopped sending events to {subscription.url}.\n\n{reason}\n\n"
            "Fix the receiver, then re-enable the subscription on the Webhooks settings page.")
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, recipients))
