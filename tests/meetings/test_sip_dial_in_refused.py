"""Calls the engine refuses, with the SIP status a phone shows: 403 for a forged or expired code or a
wrong passcode, 404 for an unknown meeting, 480 when the meeting has not started and the host is absent.
Nobody joins the meeting."""

import re
import time
from unittest import mock

import pytest

from meetings.actions import links
from meetings.models import Meeting, Participant
from tests.meetings.sip_dial_in import SippCaller

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "meeting:read meeting:write meeting:write:sip_dialing"


@pytest.fixture
def live_meeting(api_client, host, create_meeting, joiner):
    """A meeting with passcode 4321 that the host has started; (api client, meeting id)."""
    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321")
    joiner(host).join(meeting["id"])
    return api, meeting["id"]


def sip_uri(api, meeting_id, passcode="4321") -> str:
    response = api.post(f"/v2/meetings/{meeting_id}/sip_dialing", {"passcode": passcode}, format="json")
    assert response.status_code == 200
    return response.json()["sip_dialing"]


def dial(uri, server, tmp_path) -> int:
    caller = SippCaller("call_refused", uri, server, tmp_path)
    try:
        assert caller.wait() == 0, caller.messages()
        return caller.final_status()
    finally:
        caller.stop()


def phone_callers(meeting_id) -> int:
    return Participant.objects.filter(meeting_id=meeting_id, name__startswith="Phone:").count()


def test_a_forged_code_is_403(live_meeting, dialling, tmp_path):
    api, meeting_id = live_meeting
    uri = sip_uri(api, meeting_id)
    forged = uri[:-6] + ("AAAAAA" if not uri.endswith("AAAAAA") else "BBBBBB")
    assert dial(forged, dialling, tmp_path) == 403
    assert phone_callers(meeting_id) == 0


def test_an_expired_code_is_403(live_meeting, dialling, tmp_path, settings):
    api, meeting_id = live_meeting
    with mock.patch("time.time", return_value=time.time() - settings.SIP_URI_TTL - 60):
        old_code = links.sip_code(Meeting.objects.get(pk=meeting_id))  # signed an hour and a minute ago
    uri = re.sub(r";pic=.*$", f";pic={old_code}", sip_uri(api, meeting_id))
    assert dial(uri, dialling, tmp_path) == 403
    assert phone_callers(meeting_id) == 0


def test_a_wrong_passcode_is_403(live_meeting, dialling, tmp_path):
    api, meeting_id = live_meeting
    assert dial(sip_uri(api, meeting_id, passcode="0000"), dialling, tmp_path) == 403
    assert phone_callers(meeting_id) == 0


def test_an_unknown_meeting_is_404(live_meeting, dialling, tmp_path):
    api, meeting_id = live_meeting
    uri = sip_uri(api, meeting_id).replace(f"sip:{meeting_id}@", "sip:98765432101@", 1)
    assert dial(uri, dialling, tmp_path) == 404


def test_a_meeting_not_started_without_its_host_is_480(api_client, host, create_meeting, dialling, tmp_path):
    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321")  # join_before_host is off by default
    assert dial(sip_uri(api, meeting["id"]), dialling, tmp_path) == 480
    assert phone_callers(meeting["id"]) == 0
    assert not Meeting.objects.get(pk=meeting["id"]).instances.exists()  # nothing was started


def test_a_call_straight_to_janus_bypassing_the_front_end_is_403(live_meeting, dialling, tmp_path):
    """The plugin's SIP port is reachable too: a call there, valid URI or not, was checked by nobody."""
    api, meeting_id = live_meeting
    caller = SippCaller("call_refused", sip_uri(api, meeting_id), dialling, tmp_path, target=dialling.janus_sip_address())
    try:
        assert caller.wait() == 0, caller.messages()
    finally:
        caller.stop()
    assert caller.final_status() == 403
    assert phone_callers(meeting_id) == 0
