"""The push device admin's one action, revoke, goes through push.services.revoke_device: the device is
gone (nothing more is sent to its token), its delivery log stays, and the operator is told."""

import pytest
from django.contrib.messages import get_messages

from push.models import Delivery, Device
from tests.admin.helpers import admin_path

pytestmark = pytest.mark.django_db


def test_revoke_devices_keeps_their_delivery_log(admin_client, one_of_each):
    device = one_of_each[Device]
    delivery = one_of_each[Delivery]
    response = admin_client.post(admin_path(Device), {"action": "revoke", "_selected_action": [str(device.pk)]},
                                 follow=True)
    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Revoked 1 device(s)."]
    assert not Device.objects.filter(pk=device.pk).exists()
    delivery.refresh_from_db()
    assert delivery.device_id is None and delivery.status == "sent"


def test_devices_and_deliveries_cannot_be_added_or_edited(admin_client, one_of_each):
    assert admin_client.get(admin_path(Device, "add")).status_code == 403
    assert admin_client.get(admin_path(Delivery, "add")).status_code == 403
    page = admin_client.get(admin_path(Device, "change", one_of_each[Device]))
    assert page.status_code == 200 and b'name="platform"' not in page.content
