"""Push device registration under /v2/push/devices (not a Zoom operation: described in
docs/openapi/extra.openapi.json). OAuth bearer tokens as every /v2 view; scopes `push_device:read` and
`push_device:write`. A caller only ever sees and revokes their own devices (another's id is 404).
"""

from __future__ import annotations

import re

from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import audit, client_ip
from config.api import invalid_parameter
from push import services
from push.models import Device

READ, WRITE = "push_device:read", "push_device:write"
APNS_TOKEN = re.compile(r"^[0-9a-fA-F]{64,200}$")
FCM_TOKEN = re.compile(r"^[A-Za-z0-9_:\-]{20,512}$")
APPLE_PLATFORMS = (Device.Platform.IOS, Device.Platform.MACOS)


def _when(value) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def device_object(device: Device) -> dict:
    return {
        "id": device.public_id,
        "kind": device.kind,
        "platform": device.platform,
        "app_id": device.app_id,
        "environment": device.environment,
        "name": device.name,
        "token_suffix": device.token[-8:],  # enough to tell devices apart; the token itself stays with the app
        "created_at": _when(device.created_at),
        "registered_at": _when(device.registered_at),
        "last_used_at": _when(device.last_used_at),
    }


class DeviceFields(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Device.Kind.choices)
    token = serializers.CharField(max_length=512)
    platform = serializers.ChoiceField(choices=Device.Platform.choices)
    app_id = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=200,
                                    error_messages={"invalid": "Must be a bundle id or package name such as com.example.confer."})
    environment = serializers.ChoiceField(choices=Device.Environment.choices, required=False,
                                          default=Device.Environment.PRODUCTION)
    name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        kind, token = attrs["kind"], attrs["token"]
        if kind == Device.Kind.FCM:
            if not FCM_TOKEN.match(token):
                raise serializers.ValidationError({"token": "Must be an FCM registration token."})
        else:
            if not APNS_TOKEN.match(token) or len(token) % 2:
                raise serializers.ValidationError({"token": "Must be an APNs token in hexadecimal."})
            if attrs["platform"] not in APPLE_PLATFORMS:
                raise serializers.ValidationError({"platform": "APNs tokens come from ios or macos."})
            attrs["token"] = token.lower()  # one spelling per token, so one row
        return attrs


class DevicesView(APIView):
    """GET: the caller's devices. POST: register (201) or refresh (200) this install's token."""

    required_scopes = {"GET": READ, "POST": WRITE}
    rate_limit_classes = {"GET": "light", "POST": "light"}

    def get(self, request):
        devices = [device_object(device) for device in services.devices_of(request.user)]
        return Response({"total_records": len(devices), "devices": devices})

    def post(self, request):
        if not isinstance(request.data, dict):
            raise invalid_parameter("body: The request body must be a JSON object.")
        fields = DeviceFields(data=request.data)
        fields.is_valid(raise_exception=True)
        device, created = services.register_device(request.user, **fields.validated_data)
        if created:
            audit(request.user, "push.device_registered", target=device, ip=client_ip(request),
                  kind=device.kind, platform=device.platform, app_id=device.app_id)
        return Response(device_object(device), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DeviceView(APIView):
    required_scopes = {"GET": READ, "DELETE": WRITE}
    rate_limit_classes = {"GET": "light", "DELETE": "light"}

    def get(self, request, device_id):
        return Response(device_object(services.device_of(request.user, device_id)))

    def delete(self, request, device_id):
        device = services.revoke_device(request.user, device_id)
        audit(request.user, "push.device_revoked", target=device, ip=client_ip(request), kind=device.kind)
        return Response(status=status.HTTP_204_NO_CONTENT)
