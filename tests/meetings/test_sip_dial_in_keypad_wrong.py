"""Keypad dial-in: three wrong passcodes end the call (the engine says goodbye and sends BYE), and
the caller never becomes a participant."""

import pytest

from meetings.models import Participant
from tests.meetings.sip_dial_in import ENGINE_HOST, SippCaller, keypad_scenario

pytestmark = pytest.mark.django_db(transaction=True)


def test_three_wrong_passcodes_end_the_call_with_bye(api_client, host, create_meeting, joiner, dialling, tmp_path):
    api = api_client(host, "meeting:read meeting:write")
    meeting = create_meeting(client=api, password="4321")
    joiner(host).join(meeting["id"])
    steps = ["pause:500"]
    for wrong in ("1111", "2222", "3333"):
        steps += [f"info:{meeting['id']}#", "pause:300", f"info:{wrong}#", "pause:1500"]
    caller = SippCaller(keypad_scenario("keypad_until_bye", steps, tmp_path),
                        f"sip:dial-in@{ENGINE_HOST}:{dialling.sip_port}", dialling, tmp_path, echo=False)
    try:
        assert caller.wait(120) == 0, caller.messages()
    finally:
        caller.stop()
    assert caller.final_status() == 200
    assert caller.received("BYE")
    assert not Participant.objects.filter(meeting_id=meeting["id"], name__startswith="Phone:").exists()
    response = api.get(f"/v2/meetings/{meeting['id']}/participants")
    assert response.status_code == 200
    assert [p for p in response.json()["participants"] if p["name"].startswith("Phone:")] == []
