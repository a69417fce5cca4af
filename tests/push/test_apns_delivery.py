"""Pushes through APNs: HTTP/2 over TLS to a local server speaking Apple's provider API. The request
(`:path` /3/device/<token>, topic, push type, priority, expiration, collapse id), the provider token
(ES256 JWT with kid, iss, iat, verified here with the key's public half and without PyJWT; reused,
renewed after 50 minutes or when APNs calls it expired), the payload, and what each answer does:
410 Unregistered / 400 BadDeviceToken remove the device, 5xx and 429 are retried, other refusals fail."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from push import senders, services
from push.models import Delivery, Device
from tests.push.helpers import ALERT, APNS_TOKEN, BUNDLE_ID, CALL, KEY_ID, TEAM_ID, VOIP_TOKEN, register
from tests.push.servers import verify_jwt

pytestmark = pytest.mark.django_db



def send(capture, users, notice=ALERT):
    with capture(execute=True):
        count = services.notify([user.pk for user in users], notice)
    return count


def provider_token(request) -> str:
    scheme, _, token = request["headers"]["authorization"].partition(" ")
    assert scheme == "bearer"
    return token


def test_an_alert_goes_over_http2_with_a_valid_provider_token(apns, make_user, eager_tasks,
                                                               django_capture_on_commit_callbacks):
    user = make_user()
    device = register(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify([user.pk], ALERT) == 1
        assert apns.server.requests == []  # queued in the transaction, sent after it commits
    [request] = apns.server.requests
    headers = request["headers"]
    assert apns.server.protocols == ["h2"]
    assert (headers[":method"], headers[":scheme"], headers[":path"]) == ("POST", "https", f"/3/device/{APNS_TOKEN}")
    jwt_header, claims = verify_jwt(provider_token(request), apns.public_key, "ES256")
    assert jwt_header["kid"] == KEY_ID
    assert claims["iss"] == TEAM_ID and abs(claims["iat"] - time.time()) < 60
    assert headers["apns-topic"] == BUNDLE_ID
    assert headers["apns-push-type"] == "alert" and headers["apns-priority"] == "10"
    assert 590 <= int(headers["apns-expiration"]) - time.time() <= 601
    assert headers["apns-collapse-id"] == "invite-1"
    delivery = Delivery.objects.get()
    assert headers["apns-id"] == str(delivery.push_id)
    assert request["json"] == {
        "aps": {"alert": {"title": "Ann invited you", "body": "Design review"}, "sound": "default",
                "thread-id": "meeting-81234567890"},
        "event": "meeting.invited", "meeting_id": "81234567890", "host_name": "Ann"}
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1
    device.refresh_from_db()
    assert device.last_used_at is not None


def test_a_call_is_a_voip_push_to_the_voip_token_only(apns, make_user, eager_tasks, django_capture_on_commit_callbacks):
    user = make_user()
    register(user)  # the alert token: not for calls
    register(user, kind="apns_voip", token=VOIP_TOKEN)
    assert send(django_capture_on_commit_callbacks, [user], CALL) == 1
    [request] = apns.server.requests
    headers = request["headers"]
    assert headers[":path"] == f"/3/device/{VOIP_TOKEN}"
    assert headers["apns-topic"] == f"{BUNDLE_ID}.voip" and headers["apns-push-type"] == "voip"
    assert headers["apns-priority"] == "10" and 50 <= int(headers["apns-expiration"]) - time.time() <= 61
    assert request["json"] == {"aps": {}, "event": "call.incoming", "meeting_id": "81234567890", "meeting_uuid": "u1=="}


def test_the_provider_token_is_reused_then_renewed_after_fifty_minutes(apns, make_user, eager_tasks, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    user = make_user()
    register(user)
    send(django_capture_on_commit_callbacks, [user])
    send(django_capture_on_commit_callbacks, [user])
    first, second = (provider_token(r) for r in apns.server.requests)
    assert first == second
    later = time.time() + 51 * 60
    monkeypatch.setattr(senders, "clock", lambda: later)
    send(django_capture_on_commit_callbacks, [user])
    third = provider_token(apns.server.requests[-1])
    assert third != first
    _, claims = verify_jwt(third, apns.public_key, "ES256")
    assert claims["iat"] == int(later)


@pytest.mark.parametrize("status,reason", [(410, "Unregistered"), (400, "BadDeviceToken")])
def test_a_dead_token_removes_the_device(apns, make_user, eager_tasks, django_capture_on_commit_callbacks,
                                         status, reason):
    user = make_user()
    register(user)
    body = {"reason": reason, **({"timestamp": int(time.time() * 1000)} if status == 410 else {})}
    apns.server.answer(status, body)
    send(django_capture_on_commit_callbacks, [user])
    assert len(apns.server.requests) == 1  # not retried
    assert not Device.objects.filter(user=user).exists()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DEAD_TOKEN and delivery.last_status == status
    assert delivery.last_error == reason


def test_a_token_registered_again_after_apns_declared_it_dead_stays(apns, make_user, eager_tasks,
                                                                    django_capture_on_commit_callbacks):
    user = make_user()
    register(user)
    declared = timezone.now() - timedelta(hours=1)  # the app registered the token since
    apns.server.answer(410, {"reason": "Unregistered", "timestamp": int(declared.timestamp() * 1000)})
    send(django_capture_on_commit_callbacks, [user])
    assert Device.objects.filter(user=user).exists()


@pytest.mark.parametrize("status,reason", [(503, "ServiceUnavailable"), (500, "InternalServerError"),
                                           (429, "TooManyRequests")])
def test_a_server_error_or_throttling_is_retried(apns, make_user, eager_tasks, django_capture_on_commit_callbacks,
                                                 status, reason):
    user = make_user()
    register(user)
    apns.server.answer(status, {"reason": reason})
    send(django_capture_on_commit_callbacks, [user])
    first, second = apns.server.requests
    assert first["headers"]["apns-id"] == second["headers"]["apns-id"]  # one notification, tried twice
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 2
    assert Device.objects.filter(user=user).exists()


def test_retries_end_and_the_delivery_fails(apns, make_user, eager_tasks, settings, django_capture_on_commit_callbacks):
    settings.PUSH_MAX_RETRIES = 2
    user = make_user()
    register(user)
    for _ in range(5):
        apns.server.answer(503, {"reason": "ServiceUnavailable"})
    send(django_capture_on_commit_callbacks, [user])
    assert len(apns.server.requests) == 3  # the first try and two retries
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.last_error.startswith("gave up")


def test_an_expired_provider_token_is_renewed_and_the_push_retried(apns, make_user, eager_tasks,
                                                                   django_capture_on_commit_callbacks):
    user = make_user()
    register(user)
    apns.server.answer(403, {"reason": "ExpiredProviderToken"})
    send(django_capture_on_commit_callbacks, [user])
    first, second = (provider_token(r) for r in apns.server.requests)
    assert first != second
    verify_jwt(second, apns.public_key, "ES256")
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_another_refusal_fails_without_retry_and_keeps_the_device(apns, make_user, eager_tasks,
                                                                   django_capture_on_commit_callbacks):
    user = make_user()
    register(user)
    apns.server.answer(400, {"reason": "BadTopic"})
    send(django_capture_on_commit_callbacks, [user])
    assert len(apns.server.requests) == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.last_error == "BadTopic"
    assert Device.objects.filter(user=user).exists()


def test_a_rolled_back_change_sends_nothing(apns, make_user, eager_tasks, django_capture_on_commit_callbacks):
    from django.db import transaction

    user = make_user()
    register(user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.notify([user.pk], ALERT)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == [] and apns.server.requests == [] and not Delivery.objects.exists()


def test_a_sent_delivery_is_not_sent_again(apns, make_user, eager_tasks, django_capture_on_commit_callbacks):
    from push.tasks import send_push

    user = make_user()
    register(user)
    send(django_capture_on_commit_callbacks, [user])
    assert send_push.apply(args=[Delivery.objects.get().pk]).get() == "skipped"
    assert len(apns.server.requests) == 1
