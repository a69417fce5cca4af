"""Keypad dial-in with RFC 4733 telephone events: the phone (SIPp playing a pcap of events from its
media port) types the meeting ID and passcode in the RTP; the caller joins and is listed by
GET /v2/meetings/{id}/participants."""

import time

import pytest

from meetings.models import Participant
from tests.conftest import wait_until
from tests.meetings.sip_dial_in import ENGINE_HOST, SippCaller, keypad_scenario

pytestmark = pytest.mark.django_db(transaction=True)


def test_meeting_id_and_passcode_typed_as_telephone_events_let_the_caller_in(
        api_client, host, create_meeting, joiner, dialling, tmp_path):
    api = api_client(host, "meeting:read meeting:write")
    meeting = create_meeting(client=api, password="4321")
    joiner(host).join(meeting["id"])
    scenario = keypad_scenario("keypad_then_hang_up", ["pause:1000", f"rtp:{meeting['id']}#4321#"], tmp_path)
    caller = SippCaller(scenario, f"sip:dial-in@{ENGINE_HOST}:{dialling.sip_port}", dialling, tmp_path, echo=False)

    def phone(status):
        return Participant.objects.filter(meeting_id=meeting["id"], name__startswith="Phone:", status=status).exists()

    try:
        wait_until(lambda: phone(Participant.Status.IN_MEETING), timeout=60, message="the caller to join")
        response = api.get(f"/v2/meetings/{meeting['id']}/participants")
        assert response.status_code == 200
        during = [(p["name"], p["status"]) for p in response.json()["participants"] if p["name"].startswith("Phone:")]
        time.sleep(1)  # the phone is past its key presses, waiting for the signal
        caller.hang_up()
        wait_until(lambda: phone(Participant.Status.LEFT), timeout=30, message="the caller to leave")
        assert caller.wait() == 0, caller.messages()
    finally:
        caller.stop()
    assert caller.final_status() == 200
    assert during == [("Phone: Pat Caller", "in_meeting")]
