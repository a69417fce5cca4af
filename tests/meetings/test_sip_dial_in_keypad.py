"""Keypad dial-in: a phone dials the front end without a code, hears the menu, types the meeting ID
and passcode (SIP INFO, application/dtmf-relay), joins muted (mute_upon_entry), appears in
GET /v2/meetings/{id}/participants, and `*6` unmutes it in the engine.
"""

import asyncio

import pytest

from meetings.models import Participant
from mind.models import Participant as MindParticipant
from tests.meetings.sip_dial_in import ENGINE_HOST, SippCaller, keypad_scenario
from tests.mind.media_peer import db

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "meeting:read meeting:write"


def test_a_caller_without_a_code_types_the_meeting_id_and_passcode_joins_muted_and_unmutes_with_star_6(
        api_client, host, create_meeting, joiner, dialling, tmp_path):
    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321", settings={"mute_upon_entry": True})
    joiner(host).join(meeting["id"])  # the host is in: the meeting has started
    scenario = keypad_scenario("keypad_then_hang_up", [
        "pause:500", f"info:{meeting['id']}#", "pause:300", "info:4321#", "signal", "info:*6"], tmp_path)

    def phones():
        response = api.get(f"/v2/meetings/{meeting['id']}/participants")
        assert response.status_code == 200
        return [p for p in response.json()["participants"] if p["name"].startswith("Phone:")]

    def engine_audio():
        row = Participant.objects.filter(meeting_id=meeting["id"], name__startswith="Phone:").first()
        if row is None or not row.media_participant_id:
            return None
        engine = MindParticipant.objects.filter(pk=row.media_participant_id).first()
        return None if engine is None or not engine.online else ("on" if engine.media_audio else "off")

    async def until(fn, what, timeout=60):
        deadline = asyncio.get_running_loop().time() + timeout
        while not (value := await db(fn)):
            assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
            await asyncio.sleep(0.2)
        return value

    caller = SippCaller(scenario, f"sip:dial-in@{ENGINE_HOST}:{dialling.sip_port}", dialling, tmp_path, echo=False)

    def phone_status(status):
        return Participant.objects.filter(meeting_id=meeting["id"], name__startswith="Phone:", status=status).exists()

    async def scenario_run():
        await until(lambda: phone_status(Participant.Status.IN_MEETING), "the caller to join")
        during = await db(phones)
        muted = await until(engine_audio, "the caller online in the engine")
        caller.hang_up()  # the signal: the phone presses *6
        unmuted = await until(lambda: engine_audio() == "on", "*6 to unmute the caller")
        await asyncio.sleep(1)  # the phone is past its last key press, waiting for the signal
        caller.hang_up()
        await until(lambda: phone_status(Participant.Status.LEFT), "the caller to be marked left")
        after = await db(phones)
        return during, muted, unmuted, after

    try:
        during, muted, unmuted, after = asyncio.run(scenario_run())
        assert caller.wait() == 0, caller.messages()
    finally:
        caller.stop()
    assert caller.final_status() == 200
    assert [(p["name"], p["status"]) for p in during] == [("Phone: Pat Caller", "in_meeting")]
    assert muted == "off" and unmuted is True
    assert [p["name"] for p in after] == ["Phone: Pat Caller"]
    row = Participant.objects.get(meeting_id=meeting["id"], name="Phone: Pat Caller")
    assert row.status == Participant.Status.LEFT and row.muted
