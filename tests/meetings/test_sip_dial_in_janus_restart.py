"""Janus restarts (a crash): the engine rebuilds its dial-in pool, registers again, and takes calls."""

import pytest

from meetings.models import Participant
from tests.conftest import wait_until
from tests.meetings.sip_dial_in import SippCaller

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "meeting:read meeting:write meeting:write:sip_dialing"


def test_calls_are_taken_again_after_a_janus_restart(api_client, host, create_meeting, joiner, dialling, restart_janus,
                                                     tmp_path):
    ready_before = dialling.pools_ready()
    restart_janus()
    wait_until(lambda: dialling.pools_ready() > ready_before, timeout=60, message="the dial-in pool to be rebuilt")

    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321")
    joiner(host).join(meeting["id"])
    uri = api.post(f"/v2/meetings/{meeting['id']}/sip_dialing", {"passcode": "4321"}, format="json").json()["sip_dialing"]
    caller = SippCaller("call_then_hang_up", uri, dialling, tmp_path)
    try:
        try:
            wait_until(lambda: caller.final_status() == 200, timeout=60, message="the call to be answered")
        except AssertionError as timeout:  # say what the dial-in server and the phone saw
            raise AssertionError(f"{timeout}\n--- dial-in server ---\n{dialling.log.read_text()[-4000:]}"
                                 f"\n--- phone ---\n{caller.messages()}") from None
        caller.hang_up()
        assert caller.wait() == 0, caller.messages()
    finally:
        caller.stop()
    wait_until(lambda: Participant.objects.get(meeting_id=meeting["id"], name="Phone: Pat Caller").status
               == Participant.Status.LEFT, message="the caller to leave")
