"""Several phones at once: each takes a handle of the engine's Janus SIP pool, and a handle freed by a
finished call takes the next one."""

import pytest

from meetings.models import Participant
from tests.conftest import wait_until
from tests.meetings.sip_dial_in import SippCaller

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "meeting:read meeting:write meeting:write:sip_dialing"


def test_two_callers_at_once_then_a_third_on_a_freed_handle(api_client, host, create_meeting, joiner, dialling, tmp_path):
    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321")
    joiner(host).join(meeting["id"])
    uri = api.post(f"/v2/meetings/{meeting['id']}/sip_dialing", {"passcode": "4321"}, format="json").json()["sip_dialing"]

    def callers(status):
        return Participant.objects.filter(meeting_id=meeting["id"], name__startswith="Phone:", status=status).count()

    first, second = (SippCaller("call_then_hang_up", uri, dialling, tmp_path / name) for name in ("a", "b"))
    try:
        wait_until(lambda: callers(Participant.Status.IN_MEETING) == 2, message="both callers in the meeting")
        wait_until(lambda: first.final_status() == 200 and second.final_status() == 200, message="both calls answered")
        for caller in (first, second):
            caller.hang_up()
            assert caller.wait() == 0, caller.messages()
        wait_until(lambda: callers(Participant.Status.LEFT) == 2, message="both callers gone")
    finally:
        first.stop()
        second.stop()

    third = SippCaller("call_then_hang_up", uri, dialling, tmp_path / "c")
    try:
        wait_until(lambda: third.final_status() == 200, message="the third call answered")
        assert callers(Participant.Status.IN_MEETING) == 1
        third.hang_up()
        assert third.wait() == 0, third.messages()
    finally:
        third.stop()
    wait_until(lambda: callers(Participant.Status.LEFT) == 3, message="the third caller gone")
