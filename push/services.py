"""The push app's contract with the rest of the product (docs/push.md).

Devices: `register_device`, `devices_of`, `device_of`, `revoke_device`, always for one user: nobody
reaches another person's devices. Notices: `notify(user_ids, notice)` writes one Delivery per device
of those users that the notice suits (alerts: APNs device tokens and FCM; call events: APNs VoIP
tokens and FCM) in the caller's transaction and queues `push.tasks.send_push` for each after commit,
so a rolled-back change sends nothing and no request waits for Apple or Google. This app knows
nothing of meetings: the domain that does a thing builds the Notice and calls `notify`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import status

from config.api import INVALID_PARAMETERS, ZoomAPIError, not_found
from push import senders
from push.models import Delivery, Device, new_device_id
from push.notices import Notice
from push.tasks import send_push

DEVICE_NOT_FOUND = 404
ALERT_KINDS = (Device.Kind.APNS, Device.Kind.FCM)
CALL_KINDS = (Device.Kind.APNS_VOIP, Device.Kind.FCM)
SERVICE_NAMES: dict[str, str] = {Device.Kind.APNS: "APNs", Device.Kind.APNS_VOIP: "APNs", Device.Kind.FCM: "FCM"}


def _invalid(message: str) -> ZoomAPIError:
    return ZoomAPIError(status.HTTP_400_BAD_REQUEST, INVALID_PARAMETERS, message)


def register_device(user, *, kind: str, token: str, platform: str, app_id: str,
                    environment: str = Device.Environment.PRODUCTION, name: str = "") -> tuple[Device, bool]:
    """Registers (or refreshes) an app install's token for `user`: (device, created). A token
    registered by someone else before moves to `user` (whoever signs in on the install gets its
    pushes). Over PUSH_MAX_DEVICES_PER_USER, the user's least recently registered device goes."""
    if not senders.configured(kind):
        raise _invalid(f"kind: This server does not send {SERVICE_NAMES[kind]} pushes.")
    if kind != Device.Kind.FCM and settings.PUSH_APNS_TOPICS and app_id not in settings.PUSH_APNS_TOPICS:
        raise _invalid(f"app_id: {app_id[:64]} is not an app this server sends APNs pushes to.")
    now = timezone.now()
    fields = {"platform": platform, "app_id": app_id, "environment": environment, "name": name, "registered_at": now}
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(kind=kind, token=token).first()
        created = device is None or device.user_id != user.pk
        if device is None:
            device = Device.objects.create(user=user, kind=kind, token=token, **fields)
        else:
            if device.user_id != user.pk:  # a new owner gets a new id: the old one's app cannot name it
                device.user, device.public_id, device.last_used_at = user, new_device_id(), None
            for field, value in fields.items():
                setattr(device, field, value)
            device.save()
        surplus = list(Device.objects.filter(user=user).exclude(pk=device.pk).order_by("-registered_at", "-pk")
                       .values_list("pk", flat=True)[settings.PUSH_MAX_DEVICES_PER_USER - 1:])
        if surplus:
            Device.objects.filter(pk__in=surplus).delete()
    return device, created


def devices_of(user):
    return Device.objects.filter(user=user).order_by("created_at", "pk")


def device_of(user, device_id: str) -> Device:
    device = devices_of(user).filter(public_id=device_id).first()
    if device is None:
        raise not_found(DEVICE_NOT_FOUND, f"Device {device_id[:64]} not found.")
    return device


def revoke_device(user, device_id: str) -> Device:
    """Removes one of the user's devices: nothing more is sent to its token."""
    device = device_of(user, device_id)
    device.delete()
    return device


def notify(user_ids: Iterable[int | None], notice: Notice) -> int:
    """Queues `notice` for every suitable device of these users (sent after commit); how many."""
    ids = {user_id for user_id in user_ids if user_id}
    kinds = [kind for kind in (CALL_KINDS if notice.call else ALERT_KINDS) if senders.configured(kind)]
    if not ids or not kinds:
        return 0
    devices = Device.objects.filter(user_id__in=ids, user__is_active=True, kind__in=kinds)
    now = timezone.now()
    created = Delivery.objects.bulk_create([
        Delivery(device=device, event=notice.event, message=notice.as_dict(), due_at=now) for device in devices])
    if created:
        # robust: the change that caused the notice has committed; a broker that is away must not
        # turn it into an error. The pending rows stay, and `send_overdue` queues them again.
        delivery_ids = [delivery.pk for delivery in created]

        def queue_deliveries() -> None:  # a function, not a partial: Django logs a robust failure by __qualname__
            for delivery_id in delivery_ids:
                send_push.delay(delivery_id)

        transaction.on_commit(queue_deliveries, robust=True)
    return len(created)
