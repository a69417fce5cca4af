"""What needs the server to hear or see a meeting is refused for an end-to-end encrypted one, with
Zoom's error on /v2 (400, code 3000, saying why) and the same reason in the room: cloud recording,
live transcription, live streaming, the SIP URI, call-out (by the API and by the engine's
application token) and dial-in. The same calls on an ordinary meeting get past that check (each
test shows it), so the refusal is the encryption's."""

import json

import pytest
from django.conf import settings
from django.test import Client

from meetings.models import Instance, Meeting, Participant
from mind.models import Conference
from tests.meetings.sip_dial_in import SippCaller

pytestmark = pytest.mark.django_db

SCOPES = "meeting:read meeting:write meeting:write:sip_dialing"
APP_TOKEN = "meetings-tests-application-token"
REASON = "is not available in an end-to-end encrypted meeting"
STREAM = {"stream_url": "rtmp://live.example.com/app", "stream_key": "abcd-1234", "page_url": "https://example.com/live"}


@pytest.fixture
def live(api_client, host, create_meeting, joiner):
    """live(e2ee=True) -> (api client, meeting id, the host's Joiner): a meeting (passcode 4321) the host is in."""

    def make(e2ee=True):
        api = api_client(host, SCOPES)
        created = create_meeting(client=api, password="4321",
                                 settings={"encryption_type": "e2ee" if e2ee else "enhanced_encryption"})
        session = joiner(host)
        assert session.join(created["id"])["state"] == "admitted"
        return api, created["id"], session

    return make


def refused(response) -> bool:
    return response.status_code == 400 and response.json()["code"] == 3000 and REASON in response.json()["message"]


def conference_of(meeting_id) -> Conference:
    return Conference.objects.get(pk=Instance.objects.get(meeting_id=meeting_id, ended_at__isnull=True).conference_id)


def test_cloud_recording_is_refused(live):
    api, meeting_id, session = live()
    response = api.patch(f"/v2/live_meetings/{meeting_id}/events", {"method": "recording.start"}, format="json")
    assert refused(response) and response.json()["message"].startswith("Cloud recording")
    room = session.post(f"/j/{meeting_id}/control", ticket=session.ticket, action="recording.start")
    assert room.status_code == 400 and REASON in room.json()["error"]
    assert Instance.objects.get(meeting_id=meeting_id).recording_state == "idle"
    assert conference_of(meeting_id).recording_state == "idle"

    api, plain_id, _ = live(e2ee=False)
    assert api.patch(f"/v2/live_meetings/{plain_id}/events", {"method": "recording.start"}, format="json").status_code == 202


def test_live_transcription_is_refused(live):
    _, meeting_id, session = live()
    room = session.post(f"/j/{meeting_id}/control", ticket=session.ticket, action="transcription.start")
    assert room.status_code == 400 and room.json()["error"].startswith("Live transcription") and REASON in room.json()["error"]
    assert conference_of(meeting_id).transcription_started_at is None

    _, plain_id, plain = live(e2ee=False)
    assert plain.post(f"/j/{plain_id}/control", ticket=plain.ticket, action="transcription.start").status_code == 200


def test_live_streaming_is_refused(live):
    api, meeting_id, _ = live()
    assert api.patch(f"/v2/meetings/{meeting_id}/livestream", STREAM, format="json").status_code == 204
    response = api.patch(f"/v2/meetings/{meeting_id}/livestream/status", {"action": "start"}, format="json")
    assert refused(response) and response.json()["message"].startswith("Live streaming")
    assert Instance.objects.get(meeting_id=meeting_id).streaming_id == ""


def test_the_sip_uri_is_refused(live):
    api, meeting_id, _ = live()
    response = api.post(f"/v2/meetings/{meeting_id}/sip_dialing", {"passcode": "4321"}, format="json")
    assert refused(response) and response.json()["message"].startswith("Joining by phone or SIP")
    invitation = api.get(f"/v2/meetings/{meeting_id}/invitation").json()
    assert invitation["sip_links"] == [] and "SIP" not in invitation["invitation"]

    api, plain_id, _ = live(e2ee=False)
    assert api.post(f"/v2/meetings/{plain_id}/sip_dialing", {"passcode": "4321"}, format="json").status_code == 200


def test_calling_out_is_refused(live, host):
    host.account.sip_dial_out, host.account.sip_dial_out_allowed = True, "sip.example.com"
    host.account.save()
    api, meeting_id, session = live()
    response = api.patch(f"/v2/live_meetings/{meeting_id}/events",
                         {"method": "participant.invite.room_system_callout",
                          "params": {"call_type": "sip", "device_ip": "sip:desk@sip.example.com"}}, format="json")
    assert refused(response)
    # The engine's own dial-out with the application token asks the same policy.
    conference = session.answer["conference"]["id"]
    engine = f"/mind/{settings.MIND_APPLICATION_ID}/{conference}/participants"
    headers = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {APP_TOKEN}"}
    phone = Client().post(engine, json.dumps({"name": "Phone", "role": "speaker"}), **headers).json()
    dial = Client().post(f"{engine}/{phone['id']}/dial",
                         json.dumps({"from": "sip:room@example.com", "to": "sip:desk@sip.example.com"}), **headers)
    assert dial.status_code == 403 and REASON in dial.json()["message"]
    assert not Participant.objects.filter(meeting_id=meeting_id, name__startswith="Phone:").exists()


@pytest.mark.django_db(transaction=True)
def test_a_phone_dialling_in_is_refused_488(live, dialling, tmp_path):
    """The room-connector address with the right passcode would let a phone in (test_sip_dial_in_uri.py)."""
    _, meeting_id, _ = live()
    caller = SippCaller("call_refused", f"sip:{meeting_id}.4321@{settings.SIP_DOMAIN}:{settings.SIP_PORT}",
                        dialling, tmp_path)
    try:
        assert caller.wait() == 0, caller.messages()
        assert caller.final_status() == 488
    finally:
        caller.stop()
    assert not Participant.objects.filter(meeting_id=meeting_id, name__startswith="Phone:").exists()
    assert Meeting.objects.get(pk=meeting_id).live_instance() is not None
