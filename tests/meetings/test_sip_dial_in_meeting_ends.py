"""The meeting ends while a phone is in it: the engine hangs up (BYE) and the caller is marked left."""

import asyncio

import pytest

from meetings.models import Participant
from tests.conftest import wait_until
from tests.meetings.sip_dial_in import SippCaller
from tests.mind.media_peer import db, has_janus_handles

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "meeting:read meeting:write meeting:write:sip_dialing"


def test_ending_the_meeting_hangs_up_the_phone(api_client, host, create_meeting, joiner, dialling, tmp_path):
    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321")
    joiner(host).join(meeting["id"])
    uri = api.post(f"/v2/meetings/{meeting['id']}/sip_dialing", {"passcode": "4321"}, format="json").json()["sip_dialing"]

    def phone():
        return Participant.objects.filter(meeting_id=meeting["id"], name__startswith="Phone:").first()

    async def until(predicate, what, timeout=30):
        deadline = asyncio.get_running_loop().time() + timeout
        while not (value := await db(predicate)):
            assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
            await asyncio.sleep(0.2)
        return value

    caller = SippCaller("call_until_bye", uri, dialling, tmp_path)
    try:
        joined = asyncio.run(until(lambda: (p := phone()) and p.status == Participant.Status.IN_MEETING and p,
                                   "the caller to join"))
        wait_until(lambda: caller.final_status() == 200, message="the call to be answered")
        ended = api.put(f"/v2/meetings/{meeting['id']}/status", {"action": "end"}, format="json")
        assert ended.status_code == 204
        assert caller.wait() == 0, caller.messages()  # the scenario ends with the engine's BYE, answered
    finally:
        caller.stop()
    assert caller.final_status() == 200 and caller.received("BYE")
    left = Participant.objects.get(pk=joined.pk)
    assert left.status == Participant.Status.LEFT and left.left_at is not None
    assert not has_janus_handles(joined.media_participant_id)
