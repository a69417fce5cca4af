"""With the waiting room on, a phone caller waits in it (the call keeps ringing): the host admits them (the
call is answered) or denies them (603 Decline)."""


import pytest

from meetings.models import Participant
from tests.conftest import wait_until
from tests.meetings.sip_dial_in import SippCaller

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "meeting:read meeting:write meeting:write:sip_dialing"


@pytest.fixture
def waiting_room_meeting(api_client, host, create_meeting, joiner):
    """(api client, meeting id, the host's join session, the dialled URI)."""
    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321", settings={"waiting_room": True})
    host_session = joiner(host)
    host_session.join(meeting["id"])
    uri = api.post(f"/v2/meetings/{meeting['id']}/sip_dialing", {"passcode": "4321"}, format="json").json()["sip_dialing"]
    return api, meeting["id"], host_session, uri


def caller_status(api, meeting_id):
    body = api.get(f"/v2/meetings/{meeting_id}/participants").json()
    return {p["name"]: p["status"] for p in body["participants"] if "leave_time" not in p}.get("Phone: Pat Caller")


def test_the_host_admits_a_waiting_caller(waiting_room_meeting, dialling, tmp_path):
    api, meeting_id, host_session, uri = waiting_room_meeting
    caller = SippCaller("call_then_hang_up", uri, dialling, tmp_path)
    try:
        wait_until(lambda: caller_status(api, meeting_id) == "in_waiting_room", message="the caller in the waiting room")
        assert caller.final_status() is None  # still ringing: nobody answered yet
        key = Participant.objects.get(meeting_id=meeting_id, name="Phone: Pat Caller").key
        admitted = host_session.post(f"/j/{meeting_id}/lobby/{key}/admit", ticket=host_session.ticket)
        assert admitted.status_code == 200, admitted.content
        wait_until(lambda: caller.final_status() == 200, message="the call to be answered")
        assert caller_status(api, meeting_id) == "in_meeting"
        caller.hang_up()
        assert caller.wait() == 0, caller.messages()
    finally:
        caller.stop()
    wait_until(lambda: Participant.objects.get(key=key).status == Participant.Status.LEFT, message="the caller to leave")


def test_the_host_denies_a_waiting_caller(waiting_room_meeting, dialling, tmp_path):
    api, meeting_id, host_session, uri = waiting_room_meeting
    caller = SippCaller("call_refused", uri, dialling, tmp_path)
    try:
        wait_until(lambda: caller_status(api, meeting_id) == "in_waiting_room", message="the caller in the waiting room")
        key = Participant.objects.get(meeting_id=meeting_id, name="Phone: Pat Caller").key
        denied = host_session.post(f"/j/{meeting_id}/lobby/{key}/deny", ticket=host_session.ticket)
        assert denied.status_code == 200, denied.content
        assert caller.wait() == 0, caller.messages()
    finally:
        caller.stop()
    assert caller.final_status() == 603
    assert Participant.objects.get(key=key).status == Participant.Status.DENIED


def test_a_waiting_caller_hears_480_when_the_meeting_ends(waiting_room_meeting, dialling, tmp_path):
    api, meeting_id, host_session, uri = waiting_room_meeting
    caller = SippCaller("call_refused", uri, dialling, tmp_path)
    try:
        wait_until(lambda: caller_status(api, meeting_id) == "in_waiting_room", message="the caller in the waiting room")
        assert api.put(f"/v2/meetings/{meeting_id}/status", {"action": "end"}, format="json").status_code == 204
        assert caller.wait() == 0, caller.messages()
    finally:
        caller.stop()
    assert caller.final_status() == 480
    assert Participant.objects.get(meeting_id=meeting_id, name="Phone: Pat Caller").status == Participant.Status.LEFT
