"""Copies the meetings app's webhook endpoints and deliveries into subscriptions and deliveries.

Endpoints were registered by operators in the Django admin, so an active one stays active without a
URL validation. Undelivered deliveries from the last day go back to pending (the sweep sends them);
older ones are kept as failed.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def copy_endpoints(apps, schema_editor):
    Endpoint = apps.get_model("meetings", "WebhookEndpoint")
    OldDelivery = apps.get_model("meetings", "WebhookDelivery")
    Subscription = apps.get_model("webhooks", "Subscription")
    Delivery = apps.get_model("webhooks", "Delivery")
    now = timezone.now()
    for endpoint in Endpoint.objects.all():
        subscription = Subscription.objects.create(
            account_id=endpoint.account_id, url=endpoint.url, events=endpoint.events,
            secret_token=endpoint.secret_token, status="active" if endpoint.active else "disabled",
            disabled_reason="" if endpoint.active else "Inactive before the move to subscriptions.")
        Subscription.objects.filter(pk=subscription.pk).update(created_at=endpoint.created_at)
        for old in OldDelivery.objects.filter(endpoint=endpoint).order_by("pk"):
            body = old.payload if isinstance(old.payload, dict) else {}
            event_ts = body.get("event_ts") or int(old.created_at.timestamp() * 1000)
            recent = now - old.created_at < timedelta(hours=24)
            if old.delivered_at:
                state = "delivered"
            else:
                state = "pending" if recent and endpoint.active else "failed"
            obj = (body.get("payload") or {}).get("object") or {}
            delivery = Delivery.objects.create(
                subscription=subscription, event=old.event, event_ts=event_ts,
                meeting_key=str(obj.get("id") or "")[:64], body=body, state=state, attempts=old.attempts,
                next_attempt_at=now if state == "pending" else None,
                give_up_at=old.created_at + timedelta(hours=24), last_status=old.last_status,
                last_error=old.last_error, delivered_at=old.delivered_at)
            Delivery.objects.filter(pk=delivery.pk).update(created_at=old.created_at)


def copy_back(apps, schema_editor):
    Endpoint = apps.get_model("meetings", "WebhookEndpoint")
    Subscription = apps.get_model("webhooks", "Subscription")
    for subscription in Subscription.objects.all():
        Endpoint.objects.create(account_id=subscription.account_id, url=subscription.url,
                                events=subscription.events, secret_token=subscription.secret_token,
                                active=subscription.status == "active")


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("meetings", "0006_registrants"),
    ]
    operations = [migrations.RunPython(copy_endpoints, copy_back)]
