"""Calling out of a meeting to an allowed SIP address: the callee becomes a meeting participant and
the engine places the call (a real SIP phone, SIPp, answers it); ending the meeting hangs it up. A
busy callee leaves the meeting again. Refusals: test_sip_dial_out_permission.py."""

import pytest

from accounts.models import AuditEvent
from meetings.actions.callout import place_callout
from meetings.models import Participant
from tests.mind.sip_far_end import SippUas

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media, pytest.mark.usefixtures("sip_process")]


@pytest.fixture
def live_meeting(create_meeting, host, joiner, other_workers_paused):
    """A meeting in progress whose account may call the test phone host. Other workers are paused:
    this test runs the call-out task itself, in this process (where the engine's SIP gateway is)."""
    host.account.sip_dial_out, host.account.sip_dial_out_allowed = True, "10.99.0.2"
    host.account.save()
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    return created


def call_out(api, meeting_id, uri, name):
    return api.patch(f"/v2/live_meetings/{meeting_id}/events",
                     {"method": "participant.invite.room_system_callout",
                      "params": {"call_type": "sip", "device_ip": uri, "sip_headers": {"to_display_name": name}}},
                     format="json")


def test_an_allowed_call_out_is_answered_and_ends_with_the_meeting(api, live_meeting, tmp_path):
    far_end = SippUas("answer_until_bye", tmp_path)
    try:
        response = call_out(api, live_meeting["id"], far_end.uri, "Reception")
        assert response.status_code == 202, response.content
        callee = Participant.objects.get(meeting_id=live_meeting["id"], name="Phone: Reception")
        assert callee.status == Participant.Status.IN_MEETING and callee.media_participant_id
        audit = AuditEvent.objects.get(action="meeting.participant_called_out")
        assert audit.details["destination"] == far_end.uri

        assert place_callout(callee.pk, far_end.uri) == "answered"
    finally:
        ended = api.put(f"/v2/meetings/{live_meeting['id']}/status", {"action": "end"}, format="json")
        try:
            code = far_end.wait(60)
        finally:
            far_end.stop()
    assert ended.status_code == 204
    assert code == 0, far_end.messages()
    assert far_end.received("INVITE") and far_end.received("BYE")
    callee.refresh_from_db()
    assert callee.status == Participant.Status.LEFT


def test_a_busy_callee_leaves_the_meeting(api, live_meeting, tmp_path):
    far_end = SippUas("busy", tmp_path)
    try:
        assert call_out(api, live_meeting["id"], far_end.uri, "Desk").status_code == 202
        callee = Participant.objects.get(meeting_id=live_meeting["id"], name="Phone: Desk")
        assert place_callout(callee.pk, far_end.uri) == "busy"
        assert far_end.wait() == 0, far_end.messages()
    finally:
        far_end.stop()
    callee.refresh_from_db()
    assert callee.status == Participant.Status.LEFT
    # The meeting goes on: its host is still in it.
    assert Participant.objects.filter(meeting_id=live_meeting["id"], status=Participant.Status.IN_MEETING).count() == 1
    # Running the task again (a redelivered message) calls nobody: the callee has left.
    assert place_callout(callee.pk, far_end.uri) == "skipped"
