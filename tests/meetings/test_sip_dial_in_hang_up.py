"""The engine's Mind API hangs up a dial-in caller (POST …/participants/{id}/hangup): BYE to the phone,
and the meetings app marks the caller left."""

import pytest
import requests

from meetings.models import Participant
from tests.conftest import wait_until
from tests.meetings.sip_dial_in import MIND_APPLICATION_TOKEN, SippCaller

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "meeting:read meeting:write meeting:write:sip_dialing"


def test_the_mind_hangup_ends_a_dial_in_call(api_client, host, create_meeting, joiner, dialling, tmp_path):
    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321")
    conference_id = joiner(host).join(meeting["id"])["conference"]["id"]
    uri = api.post(f"/v2/meetings/{meeting['id']}/sip_dialing", {"passcode": "4321"}, format="json").json()["sip_dialing"]
    caller = SippCaller("call_until_bye", uri, dialling, tmp_path)
    try:
        wait_until(lambda: caller.final_status() == 200, message="the call to be answered")
        phone = Participant.objects.get(meeting_id=meeting["id"], name="Phone: Pat Caller")
        # The call lives in the dial-in web process: the request goes there, as a Mind client's would.
        response = requests.post(
            f"http://127.0.0.1:{dialling.http_port}/mind/{dialling.application_id}/{conference_id}"
            f"/participants/{phone.media_participant_id}/hangup",
            headers={"Authorization": f"Bearer {MIND_APPLICATION_TOKEN}"}, timeout=30)
        assert response.status_code == 200
        assert caller.wait() == 0, caller.messages()
    finally:
        caller.stop()
    assert caller.received("BYE")
    wait_until(lambda: Participant.objects.get(pk=phone.pk).status == Participant.Status.LEFT, message="the caller to leave")
    assert Participant.objects.get(meeting_id=meeting["id"], user=host).status == Participant.Status.IN_MEETING
