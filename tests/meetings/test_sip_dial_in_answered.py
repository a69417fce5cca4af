"""A phone dials the URI from POST /v2/meetings/{id}/sip_dialing: the engine answers it, the caller is a
participant of the meeting, audio flows both ways, and the caller's BYE marks them left.

The phone (SIPp) echoes the RTP it receives, so the host's aiortc peer hearing its own tone back
from the phone participant proves both directions: conference -> phone and phone -> conference.
"""

import asyncio

import pytest

from meetings.models import Participant
from tests.meetings.sip_dial_in import SippCaller
from tests.mind.media_peer import MindPeer, db, has_janus_handles

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "meeting:read meeting:write meeting:write:sip_dialing"


def phone_rows(body: dict) -> list[dict]:
    return [p for p in body["participants"] if p["name"].startswith("Phone:")]


def test_a_call_to_the_uri_is_answered_bridged_and_its_bye_marks_the_caller_left(
        api_client, host, create_meeting, joiner, dialling, tmp_path):
    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321")
    host_answer = joiner(host).join(meeting["id"])
    conference_id = host_answer["conference"]["id"]
    response = api.post(f"/v2/meetings/{meeting['id']}/sip_dialing", {"passcode": "4321"}, format="json")
    assert response.status_code == 200
    uri = response.json()["sip_dialing"]
    assert uri.startswith(f"sip:{meeting['id']}@10.99.0.1:{dialling.sip_port};pwd=4321;pic=")

    def participants():
        response = api.get(f"/v2/meetings/{meeting['id']}/participants")
        assert response.status_code == 200
        return phone_rows(response.json())

    def phone_media_id():
        row = Participant.objects.filter(meeting_id=meeting["id"], name__startswith="Phone:").first()
        return row.media_participant_id if row else None

    async def until(fn, what, timeout=30):
        deadline = asyncio.get_running_loop().time() + timeout
        while not (value := await db(fn)):
            assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
            await asyncio.sleep(0.2)
        return value

    def host_status():
        return Participant.objects.get(meeting_id=meeting["id"], user=host).status

    caller = None

    async def scenario():
        nonlocal caller
        peer = await MindPeer.join(dialling.session_url(conference_id, host_answer["participant_token"]))
        try:
            assert (await peer.publish(video=False))["type"] == "answer"
            caller = SippCaller("call_then_hang_up", uri, dialling, tmp_path)
            during = await until(lambda: [p for p in participants() if "leave_time" not in p], "the caller to join")
            media_id = await until(phone_media_id, "the caller's media participant")
            await peer.wait_until(lambda: (r := peer.received_from(media_id, "audio")) is not None and r.peak > 2000,
                                  timeout=30, what="the host's tone echoed back by the phone")
            caller.hang_up()
            after = await until(lambda: [p for p in participants() if "leave_time" in p], "the caller to be marked left")
            # The meeting goes on: the host is still in it.
            assert await db(host_status) == Participant.Status.IN_MEETING
            return during, after, media_id
        finally:
            await peer.leave()

    try:
        during, after, media_id = asyncio.run(scenario())
        assert caller.wait() == 0, caller.messages()
    finally:
        if caller is not None:
            caller.stop()
    assert caller.final_status() == 200
    assert [(p["name"], p["status"]) for p in during] == [("Phone: Pat Caller", "in_meeting")]
    assert [p["name"] for p in after] == ["Phone: Pat Caller"]
    row = Participant.objects.get(meeting_id=meeting["id"], name="Phone: Pat Caller")
    assert row.status == Participant.Status.LEFT and row.role == Participant.Role.ATTENDEE
    # The caller's media is gone from Janus; the host's exit from the engine was their leaving.
    assert host_status() == Participant.Status.LEFT
    assert not has_janus_handles(media_id)
