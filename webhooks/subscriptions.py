"""Managing subscriptions: create, change, validate, regenerate tokens, delete, redeliver.

Zoom's URL validation handshake: Confer POSTs `{"event": "endpoint.url_validation", "event_ts",
"payload": {"plainToken"}}` (signed like any delivery) to the URL; the receiver must answer 200 with
`{"plainToken", "encryptedToken": hex HMAC-SHA256(secret token, plainToken)}`. Only then is the
subscription active; a new URL (or a new secret token) is validated again. The destination must pass
the outbound policy (`config.outbound`: no internal addresses unless OUTBOUND_ALLOWED_NETWORKS
allows them). Validation runs in the request that asks for it, with a short timeout, so the person
sees the answer (deliveries never do).
"""

from __future__ import annotations

import json
import secrets
import time
from functools import partial

import requests
from django.db import transaction
from django.utils import timezone

from config import outbound
from config.errors import ConferError
from webhooks import catalog
from webhooks.delivery import GIVE_UP_AFTER
from webhooks.models import Delivery, Subscription, new_token
from webhooks.signing import encode, signed_headers, url_validation_passes
from webhooks.tasks import deliver

VALIDATION_TIMEOUT = 5  # seconds; Zoom asks receivers to answer within three


class ValidationFailed(ConferError):
    pass


def _check_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(catalog.EVENTS))
    if unknown:
        raise ConferError(f"Unknown event: {', '.join(unknown)}.")
    return [event for event in catalog.EVENTS if event in events]  # catalogue order, no duplicates


def validate_url(subscription: Subscription) -> None:
    """Runs the handshake; raises ValidationFailed (the subscription stays pending) unless it passes."""
    try:
        outbound.check_url(subscription.url, schemes=("http", "https"))
    except outbound.RefusedDestination as refused:
        raise ValidationFailed(f"This endpoint is not allowed: {refused}") from None
    plain_token = secrets.token_urlsafe(16)
    body = encode({"event": "endpoint.url_validation", "event_ts": int(time.time() * 1000),
                   "payload": {"plainToken": plain_token}})
    headers = signed_headers(subscription.secret_token, body)
    headers["authorization"] = subscription.verification_token
    try:
        response = requests.post(subscription.url, data=body, headers=headers, timeout=VALIDATION_TIMEOUT,
                                 allow_redirects=False)
    except requests.RequestException as exc:
        raise ValidationFailed(f"The endpoint could not be reached: {exc.__class__.__name__}.") from None
    if response.status_code != 200:
        raise ValidationFailed(f"The endpoint answered HTTP {response.status_code} to the URL validation.")
    try:
        answer = json.loads(response.content[:4096])
    except ValueError:
        answer = None
    if not url_validation_passes(subscription.secret_token, plain_token, answer):
        raise ValidationFailed("The endpoint's answer to the URL validation did not match the secret token.")


def _activate(subscription: Subscription) -> Subscription:
    """Validates and activates, or leaves it pending and raises ValidationFailed."""
    validate_url(subscription)
    subscription.status = Subscription.Status.ACTIVE
    subscription.disabled_reason = ""
    subscription.failing_since = None
    subscription.save(update_fields=["status", "disabled_reason", "failing_since", "updated_at"])
    return subscription


def create_subscription(account, url: str, events: list[str], application=None) -> Subscription:
    """Saves a pending subscription, then validates it (ValidationFailed: it stays pending)."""
    subscription = Subscription.objects.create(account=account, application=application, url=url,
                                               events=_check_events(events))
    return _activate(subscription)


def update_subscription(subscription: Subscription, url: str, events: list[str]) -> Subscription:
    """Changes the URL and events; a new URL goes back to pending and is validated again."""
    subscription.events = _check_events(events)
    url_changed = url != subscription.url
    subscription.url = url
    if url_changed:
        subscription.status = Subscription.Status.PENDING
    subscription.save(update_fields=["url", "events", "status", "updated_at"])
    if url_changed:
        _activate(subscription)
    return subscription


def enable(subscription: Subscription) -> Subscription:
    """Validates a pending or disabled subscription again and activates it."""
    return _activate(subscription)


def regenerate_tokens(subscription: Subscription) -> Subscription:
    """New secret and verification tokens; the receiver must prove it holds the new secret."""
    subscription.secret_token = new_token()
    subscription.verification_token = new_token()
    subscription.status = Subscription.Status.PENDING
    subscription.save(update_fields=["secret_token", "verification_token", "status", "updated_at"])
    return subscription


def delete_subscription(subscription: Subscription) -> None:
    subscription.delete()


@transaction.atomic
def redeliver(delivery: Delivery) -> Delivery:
    """Sends a delivery again (same body, same x-zm-trackingid) with a fresh day of retries."""
    if delivery.subscription.status != Subscription.Status.ACTIVE:
        raise ConferError("The subscription is not active: validate its URL first.")
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.PENDING, next_attempt_at=now, give_up_at=now + GIVE_UP_AFTER,
        delivered_at=None, last_error="")
    transaction.on_commit(partial(deliver.delay, delivery.pk))
    delivery.refresh_from_db()
    return delivery
