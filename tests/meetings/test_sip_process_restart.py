"""The sip process is killed mid-call (SIGKILL, as a crash) and started again: the dead call's caller
is reconciled (offline in the engine, left in the meeting), nothing listens on the SIP port while it
is down (web processes never bind it), a hang-up meanwhile is a clear 503, and dial-in works again."""

import pytest
import requests

from meetings.models import Participant
from mind.engine.sip_remote import connect, held_calls
from mind.models import Participant as MindParticipant
from tests.conftest import wait_until
from tests.meetings.sip_dial_in import ENGINE_HOST, MIND_APPLICATION_TOKEN, SippCaller, options_ping

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = "meeting:read meeting:write meeting:write:sip_dialing"


def answers_options(server) -> bool:
    try:
        return options_ping(ENGINE_HOST, server.sip_port)
    except OSError:  # refused (ICMP) or no answer
        return False


def test_a_killed_sip_process_is_reconciled_and_takes_calls_again(api_client, host, create_meeting, joiner, dialling,
                                                                   tmp_path):
    api = api_client(host, SCOPES)
    meeting = create_meeting(client=api, password="4321")
    conference_id = joiner(host).join(meeting["id"])["conference"]["id"]
    uri = api.post(f"/v2/meetings/{meeting['id']}/sip_dialing", {"passcode": "4321"}, format="json").json()["sip_dialing"]
    first = SippCaller("call_until_bye", uri, dialling, tmp_path / "first")
    try:
        wait_until(lambda: first.final_status() == 200, message="the first call to be answered")
        phone = Participant.objects.get(meeting_id=meeting["id"], name="Phone: Pat Caller")
        with connect() as client:
            assert held_calls(client)[phone.media_participant_id]["direction"] == "in"
        assert MindParticipant.objects.get(pk=phone.media_participant_id).online

        dialling.sip.kill()
        assert not answers_options(dialling)  # the web process does not take over the SIP port
        response = requests.post(
            f"http://127.0.0.1:{dialling.http_port}/mind/{dialling.application_id}/{conference_id}"
            f"/participants/{phone.media_participant_id}/hangup",
            headers={"Authorization": f"Bearer {MIND_APPLICATION_TOKEN}"}, timeout=60)
        # The killed process's announcement may outlive it by up to PROCESS_TTL: then the request is
        # not taken (or the process is found gone) and the answer is 503 all the same.
        assert response.status_code == 503 and "SIP process" in response.json()["message"]

        dialling.restart_sip()
        wait_until(lambda: Participant.objects.get(pk=phone.pk).status == Participant.Status.LEFT, timeout=30,
                   message="the dead call's caller to be reconciled")
    finally:
        first.stop()
    assert not MindParticipant.objects.filter(pk=phone.media_participant_id, online=True).exists()
    with connect() as client:
        assert phone.media_participant_id not in held_calls(client)
    assert Participant.objects.get(meeting_id=meeting["id"], user=host).status == Participant.Status.IN_MEETING

    second = SippCaller("call_then_hang_up", uri, dialling, tmp_path / "second")
    try:
        wait_until(lambda: second.final_status() == 200, timeout=60, message="a new call to be answered")
        caller = Participant.objects.filter(meeting_id=meeting["id"], name="Phone: Pat Caller",
                                            status=Participant.Status.IN_MEETING).get()
        wait_until(lambda: MindParticipant.objects.get(pk=caller.media_participant_id).online,
                   message="the new caller to be online")
        second.hang_up()
        assert second.wait() == 0, second.messages()
    finally:
        second.stop()
    wait_until(lambda: Participant.objects.get(pk=caller.pk).status == Participant.Status.LEFT,
               message="the new caller to leave")
