"""/v2/push/devices: register, list, get and revoke the caller's push devices with an OAuth token
(scopes push_device:read / push_device:write). Nobody sees or revokes another user's device; a token
registered again is refreshed, or moves to whoever registers it; bad input is Zoom's {code, message}.
Every answer is validated against docs/openapi/extra.openapi.json (api_client)."""

import pytest

from accounts.models import AuditEvent
from push.models import Device
from tests.push.helpers import APNS_TOKEN, BUNDLE_ID, FCM_TOKEN, VOIP_TOKEN

pytestmark = pytest.mark.django_db

RW = "push_device:read push_device:write"
IPHONE = {"kind": "apns", "token": APNS_TOKEN.upper(), "platform": "ios", "app_id": BUNDLE_ID, "name": "Ann's iPhone"}


@pytest.fixture
def ann(make_user):
    return make_user(email="ann@example.com")


@pytest.fixture
def bob(make_user):
    return make_user(email="bob@example.com")


def test_register_list_get_and_revoke(apns, fcm, ann, api_client):
    client = api_client(ann, RW)
    created = client.post("/v2/push/devices", IPHONE, format="json")
    assert created.status_code == 201, created.content
    device = created.json()
    assert device["kind"] == "apns" and device["platform"] == "ios" and device["app_id"] == BUNDLE_ID
    assert device["environment"] == "production" and device["name"] == "Ann's iPhone"
    assert device["token_suffix"] == APNS_TOKEN[-8:] and device["last_used_at"] is None
    assert "token" not in device
    assert Device.objects.get().token == APNS_TOKEN  # one spelling: lower case

    voip = client.post("/v2/push/devices", {**IPHONE, "kind": "apns_voip", "token": VOIP_TOKEN}, format="json")
    android = client.post("/v2/push/devices", {"kind": "fcm", "token": FCM_TOKEN, "platform": "android",
                                               "app_id": "com.example.confer"}, format="json")
    assert voip.status_code == android.status_code == 201

    listed = client.get("/v2/push/devices").json()
    assert listed["total_records"] == 3
    assert [d["kind"] for d in listed["devices"]] == ["apns", "apns_voip", "fcm"]
    assert client.get(f"/v2/push/devices/{device['id']}").json() == device

    assert client.delete(f"/v2/push/devices/{device['id']}").status_code == 204
    gone = client.get(f"/v2/push/devices/{device['id']}")
    assert gone.status_code == 404 and gone.json()["code"] == 404
    assert client.delete(f"/v2/push/devices/{device['id']}").status_code == 404
    assert client.get("/v2/push/devices").json()["total_records"] == 2
    assert list(AuditEvent.objects.filter(actor=ann, action__startswith="push.").values_list("action", flat=True)
                .order_by("pk")) == ["push.device_registered"] * 3 + ["push.device_revoked"]


def test_registering_again_refreshes_the_same_device(apns, ann, api_client):
    client = api_client(ann, RW)
    first = client.post("/v2/push/devices", IPHONE, format="json").json()
    again = client.post("/v2/push/devices", {**IPHONE, "name": "renamed", "environment": "development"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["name"] == "renamed"
    assert again.json()["environment"] == "development"
    assert Device.objects.count() == 1


def test_a_user_never_sees_or_revokes_anothers_device(apns, ann, bob, api_client):
    device = api_client(ann, RW).post("/v2/push/devices", IPHONE, format="json").json()
    as_bob = api_client(bob, RW)
    assert as_bob.get("/v2/push/devices").json() == {"total_records": 0, "devices": []}
    assert as_bob.get(f"/v2/push/devices/{device['id']}").status_code == 404
    assert as_bob.delete(f"/v2/push/devices/{device['id']}").status_code == 404
    assert Device.objects.filter(public_id=device["id"], user=ann).exists()


def test_a_token_registered_by_someone_else_moves_to_them(apns, ann, bob, api_client):
    anns = api_client(ann, RW).post("/v2/push/devices", IPHONE, format="json").json()
    bobs = api_client(bob, RW).post("/v2/push/devices", IPHONE, format="json")
    assert bobs.status_code == 201 and bobs.json()["id"] != anns["id"]
    assert api_client(ann, RW).get("/v2/push/devices").json()["total_records"] == 0
    assert Device.objects.get().user == bob


def test_over_the_limit_the_least_recently_registered_device_goes(apns, ann, api_client, settings):
    settings.PUSH_MAX_DEVICES_PER_USER = 2
    client = api_client(ann, RW)
    tokens = ["c3" * 32, "d4" * 32, "e5" * 32]
    for token in tokens:
        assert client.post("/v2/push/devices", {**IPHONE, "token": token}, format="json").status_code == 201
    assert sorted(Device.objects.filter(user=ann).values_list("token", flat=True)) == sorted(tokens[1:])


@pytest.mark.parametrize("body,field", [
    ({**IPHONE, "kind": "gcm"}, "kind"),
    ({**IPHONE, "token": "not-hex"}, "token"),
    ({**IPHONE, "token": "abc"}, "token"),
    ({**IPHONE, "platform": "android"}, "platform"),
    ({**IPHONE, "app_id": "com.example/../x"}, "app_id"),
    ({**IPHONE, "environment": "staging"}, "environment"),
    ({**IPHONE, "name": "n" * 65}, "name"),
    ({"kind": "fcm", "token": "short", "platform": "android", "app_id": "com.example.confer"}, "token"),
    ({k: v for k, v in IPHONE.items() if k != "token"}, "token"),
])
def test_bad_input_is_a_zoom_error_naming_the_field(apns, fcm, ann, api_client, body, field):
    response = api_client(ann, RW).post("/v2/push/devices", body, format="json")
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == 300 and answer["message"].startswith(f"{field}: ")
    assert not Device.objects.exists()


def test_a_body_that_is_not_an_object_is_refused(apns, ann, api_client):
    response = api_client(ann, RW).post("/v2/push/devices", [IPHONE], format="json")
    assert response.status_code == 400 and response.json()["code"] == 300


def test_a_service_this_server_does_not_send_through_is_refused(settings, ann, api_client):
    settings.PUSH_APNS_KEY = ""
    response = api_client(ann, RW).post("/v2/push/devices", IPHONE, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": 300, "message": "kind: This server does not send APNs pushes."}


def test_only_the_configured_apps(apns, ann, api_client, settings):
    settings.PUSH_APNS_TOPICS = [BUNDLE_ID]
    client = api_client(ann, RW)
    refused = client.post("/v2/push/devices", {**IPHONE, "app_id": "com.other.app"}, format="json")
    assert refused.status_code == 400 and refused.json()["message"].startswith("app_id: ")
    assert client.post("/v2/push/devices", IPHONE, format="json").status_code == 201


def test_scopes_and_authentication(apns, ann, api_client):
    read_only = api_client(ann, "push_device:read")
    refused = read_only.post("/v2/push/devices", IPHONE, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == 4711
    assert read_only.get("/v2/push/devices").status_code == 200
    assert api_client(ann, "meeting:read").get("/v2/push/devices").json()["code"] == 4711
    anonymous = api_client().get("/v2/push/devices")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == 124
