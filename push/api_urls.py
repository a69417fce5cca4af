"""/v2 routes of the push app (included under /v2/ by config.urls)."""

from django.urls import path

from push import api

urlpatterns = [
    path("push/devices", api.DevicesView.as_view(), name="api-push-devices"),
    path("push/devices/<str:device_id>", api.DeviceView.as_view(), name="api-push-device"),
]
