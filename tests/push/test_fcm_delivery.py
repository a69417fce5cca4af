"""Pushes through FCM HTTP v1 to a local server: the service account's access token (the JWT-bearer
grant at the key's token_uri, its RS256 assertion checked by the server with the public key), the
bearer on messages:send, the message (notification + data for alerts, data only at high priority for
calls), and the answers: UNREGISTERED and an invalid registration token remove the device, 5xx and
429 are retried (Retry-After honoured), a refused access token is fetched again."""

import time

import pytest
from django.utils import timezone

from push import services
from push.models import Delivery, Device
from tests.push.helpers import ALERT, CALL, FCM_EMAIL, FCM_KEY_ID, FCM_TOKEN, register
from tests.push.servers import service_account_key, verify_jwt

pytestmark = pytest.mark.django_db

UNREGISTERED = {"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND",
                          "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                       "errorCode": "UNREGISTERED"}]}}
INVALID_TOKEN = {"error": {"code": 400, "message": "The registration token is not a valid FCM registration token",
                           "status": "INVALID_ARGUMENT", "details": [
                               {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                "errorCode": "INVALID_ARGUMENT"},
                               {"@type": "type.googleapis.com/google.rpc.BadRequest",
                                "fieldViolations": [{"field": "message.token",
                                                     "description": "Invalid registration token"}]}]}}
INVALID_PAYLOAD = {"error": {"code": 400, "message": "Invalid value at 'message.android.ttl'",
                             "status": "INVALID_ARGUMENT", "details": [
                                 {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                  "errorCode": "INVALID_ARGUMENT"}]}}
UNAVAILABLE = {"error": {"code": 503, "message": "The service is currently unavailable.", "status": "UNAVAILABLE"}}


def send(capture, user, notice=ALERT):
    with capture(execute=True):
        return services.notify([user.pk], notice)


def android(user):
    return register(user, kind="fcm", token=FCM_TOKEN, platform="android", app_id="com.example.confer")


def test_an_alert_goes_with_a_service_account_access_token(fcm, make_user, eager_tasks,
                                                            django_capture_on_commit_callbacks):
    user = make_user()
    device = android(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify([user.pk], ALERT) == 1
        assert fcm.server.messages == [] and fcm.server.grants == []  # nothing before the commit
    [grant] = fcm.server.grants
    assert grant["header"]["kid"] == FCM_KEY_ID
    assert grant["claims"]["iss"] == FCM_EMAIL and grant["claims"]["aud"] == f"{fcm.server.url}/token"
    assert grant["claims"]["scope"] == "https://www.googleapis.com/auth/firebase.messaging"
    assert abs(grant["claims"]["iat"] - time.time()) < 60 and grant["claims"]["exp"] - grant["claims"]["iat"] == 3600
    [message] = fcm.server.messages
    assert message["authorization"] == "Bearer ya29.test-1"
    assert message["body"] == {"message": {
        "token": FCM_TOKEN,
        "notification": {"title": "Ann invited you", "body": "Design review"},
        "data": {"event": "meeting.invited", "meeting_id": "81234567890", "host_name": "Ann"},
        "android": {"priority": "high", "ttl": "600s", "collapse_key": "invite-1"}}}
    assert Delivery.objects.get().status == Delivery.Status.SENT
    device.refresh_from_db()
    assert device.last_used_at is not None


def test_a_call_is_a_data_message_and_the_access_token_is_reused(fcm, make_user, eager_tasks,
                                                                 django_capture_on_commit_callbacks):
    user = make_user()
    android(user)
    send(django_capture_on_commit_callbacks, user, CALL)
    send(django_capture_on_commit_callbacks, user, CALL)
    assert len(fcm.server.grants) == 1
    first, second = fcm.server.messages
    assert first["authorization"] == second["authorization"]
    body = first["body"]["message"]
    assert "notification" not in body
    assert body["data"] == {"event": "call.incoming", "meeting_id": "81234567890", "meeting_uuid": "u1=="}
    assert body["android"] == {"priority": "high", "ttl": "60s", "collapse_key": "call-u1=="}


@pytest.mark.parametrize("status,answer", [(404, UNREGISTERED), (400, INVALID_TOKEN)], ids=["unregistered", "invalid"])
def test_a_dead_registration_token_removes_the_device(fcm, make_user, eager_tasks, django_capture_on_commit_callbacks,
                                                      status, answer):
    user = make_user()
    android(user)
    fcm.server.answer(status, answer)
    send(django_capture_on_commit_callbacks, user)
    assert len(fcm.server.messages) == 1
    assert not Device.objects.filter(user=user).exists()
    assert Delivery.objects.get().status == Delivery.Status.DEAD_TOKEN


def test_an_invalid_message_fails_and_keeps_the_device(fcm, make_user, eager_tasks, django_capture_on_commit_callbacks):
    user = make_user()
    android(user)
    fcm.server.answer(400, INVALID_PAYLOAD)
    send(django_capture_on_commit_callbacks, user)
    assert len(fcm.server.messages) == 1
    assert Device.objects.filter(user=user).exists()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and "INVALID_ARGUMENT" in delivery.last_error


def test_an_unavailable_service_is_retried_after_its_retry_after(fcm, make_user, eager_tasks,
                                                                 django_capture_on_commit_callbacks):
    user = make_user()
    android(user)
    fcm.server.answer(503, UNAVAILABLE, {"Retry-After": "120"})
    before = timezone.now()
    send(django_capture_on_commit_callbacks, user)
    assert len(fcm.server.messages) == 2
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 2
    assert (delivery.due_at - before).total_seconds() >= 119  # the retry was put off by Retry-After


def test_a_refused_access_token_is_fetched_again(fcm, make_user, eager_tasks, django_capture_on_commit_callbacks):
    user = make_user()
    android(user)
    send(django_capture_on_commit_callbacks, user)
    fcm.server.issued.clear()  # the server forgets its tokens (revoked, rotated)
    send(django_capture_on_commit_callbacks, user)
    assert len(fcm.server.grants) == 2
    assert fcm.server.messages[-1]["authorization"] == "Bearer ya29.test-2"
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2


def test_a_key_the_token_endpoint_does_not_know_gets_no_token(fcm, make_user, eager_tasks, settings,
                                                              django_capture_on_commit_callbacks):
    import json

    account = json.loads(settings.PUSH_FCM_SERVICE_ACCOUNT)
    account["private_key"], _ = service_account_key()  # not the key the server checks with
    settings.PUSH_FCM_SERVICE_ACCOUNT = json.dumps(account)
    user = make_user()
    android(user)
    send(django_capture_on_commit_callbacks, user)
    assert fcm.server.grants == [] and fcm.server.messages == []
    assert fcm.server.refused_grants and "signature" in fcm.server.refused_grants[0]
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and "invalid_grant" in delivery.last_error


def test_the_assertion_verifies_with_the_service_account_key(fcm):
    """The test server's check is real: a forged signature does not pass it."""
    import jwt

    other, _ = service_account_key()
    forged = jwt.encode({"iss": FCM_EMAIL}, other, algorithm="RS256")
    with pytest.raises(AssertionError):
        verify_jwt(forged, fcm.public_key, "RS256")
