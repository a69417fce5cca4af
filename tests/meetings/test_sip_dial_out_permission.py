"""SIP dial-out is an account permission, off by default, limited to an allow-list: calling out of a
meeting (`participant.invite.callout`, `participant.invite.room_system_callout`) and the engine's
dial-out with the application token (on a meeting's conference, or a Video SDK session's) are refused
before anything rings. The allowed path with a real phone: test_sip_callout_answered.py."""

import json

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Account, AuditEvent
from meetings.models import Participant

pytestmark = pytest.mark.django_db

APP_TOKEN = "meetings-tests-application-token"


@pytest.fixture
def live_meeting(create_meeting, host, joiner):
    created = create_meeting(password="")
    answer = joiner(host).join(created["id"])
    return created, answer


def event(api, meeting_id, method, **params):
    return api.patch(f"/v2/live_meetings/{meeting_id}/events", {"method": method, "params": params}, format="json")


def engine(method, path, body=None):
    return Client().generic(method, f"/mind/{settings.MIND_APPLICATION_ID}" + (f"/{path}" if path else ""),
                            json.dumps(body) if body is not None else "", content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {APP_TOKEN}")


def phones(meeting_id):
    return list(Participant.objects.filter(meeting_id=meeting_id, name__startswith="Phone:"))


def allow(account: Account, rules: str) -> None:
    account.sip_dial_out, account.sip_dial_out_allowed = True, rules
    account.save()


def test_calling_out_is_refused_by_default(api, live_meeting):
    created, _ = live_meeting
    for method, params in (("participant.invite.room_system_callout", {"call_type": "sip", "device_ip": "sip:desk@sip.example.com"}),
                           ("participant.invite.callout", {"phone_number": "+15550100", "invitee_name": "Jill"})):
        response = event(api, created["id"], method, **params)
        assert response.status_code == 400, method
        assert response.json()["code"] == 300
        assert "No permission: SIP dial-out is not enabled" in response.json()["message"]
    assert phones(created["id"]) == []


def test_destinations_off_the_list_are_refused(api, live_meeting, host, settings):
    created, _ = live_meeting
    settings.SIP_CALLOUT_GATEWAY = "gw.example.org"
    allow(host.account, "sip.example.com\n+1555*")
    for device in ("sip:desk@sip.example.com.evil.net", "sip:desk@other.example.org", "evil.example.com",
                   "sip:+15550100@other.example.org"):
        response = event(api, created["id"], "participant.invite.room_system_callout", call_type="sip", device_ip=device)
        assert response.status_code == 400 and response.json()["code"] == 300, device
        assert "not on this account's SIP dial-out allow-list" in response.json()["message"]
    response = event(api, created["id"], "participant.invite.callout", phone_number="+1 556 010 0100")
    assert response.status_code == 400 and "allow-list" in response.json()["message"]
    assert phones(created["id"]) == []


def test_bad_call_out_requests_are_300(api, live_meeting, host, settings):
    created, _ = live_meeting
    allow(host.account, "+1555*")
    settings.SIP_CALLOUT_GATEWAY = ""
    response = event(api, created["id"], "participant.invite.callout", phone_number="+15550100")
    assert response.status_code == 400 and "no SIP gateway" in response.json()["message"]
    for params in ({}, {"phone_number": "call me"}):
        response = event(api, created["id"], "participant.invite.callout", **params)
        assert response.status_code == 400 and response.json()["code"] == 300, params
    response = event(api, created["id"], "participant.invite.room_system_callout", call_type="h323", device_ip="10.1.1.1")
    assert response.status_code == 400 and "Only sip" in response.json()["message"]
    assert phones(created["id"]) == []


def test_call_out_needs_a_live_meeting(api, create_meeting, host):
    allow(host.account, "sip.example.com")
    created = create_meeting()
    response = event(api, created["id"], "participant.invite.room_system_callout", device_ip="sip:desk@sip.example.com")
    assert response.status_code == 400 and response.json()["code"] == 3000


def test_the_application_token_cannot_dial_out_of_a_meeting_whose_account_may_not(live_meeting, host):
    created, answer = live_meeting
    conference, host_pid = answer["conference"]["id"], answer["media_participant_id"]
    phone = engine("POST", f"{conference}/participants", {"name": "Phone", "role": "speaker"}).json()
    body = {"from": "sip:room@example.com", "to": "sip:+15551234567@carrier.example.com"}
    refused = engine("POST", f"{conference}/participants/{phone['id']}/dial", body)
    assert refused.status_code == 403 and "not enabled" in refused.json()["message"]

    allow(host.account, "sip.example.com")
    refused = engine("POST", f"{conference}/participants/{phone['id']}/dial", body)
    assert refused.status_code == 403 and "allow-list" in refused.json()["message"]
    # A proxy off the list is refused as well, even when `to` is on it.
    refused = engine("POST", f"{conference}/participants/{phone['id']}/dial",
                     {**body, "to": "sip:desk@sip.example.com", "proxy": "sip:carrier.example.com"})
    assert refused.status_code == 403 and "carrier.example.com" in refused.json()["message"]
    # Forwarding a call is calling out too.
    refused = engine("POST", f"{conference}/participants/{host_pid}/forward", {"destination": "sip:x@carrier.example.com"})
    assert refused.status_code == 403


def test_video_sdk_sessions_follow_the_videosdk_account(settings, make_user):
    session = engine("POST", "", {"name": "sdk session"}).json()["id"]
    phone = engine("POST", f"{session}/participants", {"name": "Phone", "role": "speaker"}).json()
    body = {"from": "sip:app@example.com", "to": "sip:desk@carrier.example.com"}
    settings.VIDEOSDK_ACCOUNT = ""
    refused = engine("POST", f"{session}/participants/{phone['id']}/dial", body)
    assert refused.status_code == 403 and "not enabled" in refused.json()["message"]

    sdk_account = make_user(email="sdk@example.com").account
    settings.VIDEOSDK_ACCOUNT = sdk_account.public_id
    refused = engine("POST", f"{session}/participants/{phone['id']}/dial", body)
    assert refused.status_code == 403 and "not enabled" in refused.json()["message"]
    allow(sdk_account, "sip.example.com")
    refused = engine("POST", f"{session}/participants/{phone['id']}/dial", body)
    assert refused.status_code == 403 and "allow-list" in refused.json()["message"]


def test_nothing_is_audited_for_a_refused_call(api, live_meeting):
    created, _ = live_meeting
    event(api, created["id"], "participant.invite.callout", phone_number="+15550100")
    assert not AuditEvent.objects.filter(action="meeting.participant_called_out").exists()
