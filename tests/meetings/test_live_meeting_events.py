"""PATCH /v2/live_meetings/{meetingId}/events: recording controls, invitations, end, mute all."""

import pytest
from django.core import mail

from meetings.models import Instance, Participant
from tests.meetings.helpers import event

pytestmark = pytest.mark.django_db


def test_recording_start_pause_resume_stop(api, live_meeting):
    states = []
    for method in ("recording.start", "recording.pause", "recording.resume", "recording.stop"):
        response = event(api, live_meeting["id"], method)
        assert response.status_code == 202 and response.content == b""
        states.append(Instance.objects.get(meeting_id=live_meeting["id"]).recording_state)
    assert states == ["recording", "paused", "recording", "stopped"]


def test_recording_controls_follow_the_state(api, live_meeting):
    response = event(api, live_meeting["id"], "recording.pause")
    assert response.status_code == 400 and response.json()["code"] == 3000
    event(api, live_meeting["id"], "recording.start")
    assert event(api, live_meeting["id"], "recording.start").status_code == 400


def test_controls_need_a_live_meeting(api, create_meeting):
    created = create_meeting()
    response = event(api, created["id"], "recording.start")
    assert response.status_code == 400 and response.json()["code"] == 3000


def test_participant_invite_emails_the_join_link(api, live_meeting, host, make_user, django_capture_on_commit_callbacks):
    colleague = make_user(email="colleague@example.com", account=host.account)
    with django_capture_on_commit_callbacks(execute=True):
        response = event(api, live_meeting["id"], "participant.invite",
                         contacts=[{"email": "guest@example.org"}, {"id": colleague.public_id}])
    assert response.status_code == 202
    assert len(mail.outbox) == 1 and set(mail.outbox[0].to) == {"guest@example.org", "colleague@example.com"}
    assert live_meeting["join_url"] in mail.outbox[0].body


@pytest.mark.parametrize("params", [{}, {"contacts": []}, {"contacts": [{"email": "not-an-email"}]},
                                    {"contacts": [{"email": f"g{i}@example.org"} for i in range(11)]},
                                    {"contacts": [{"id": "nobody"}]}])
def test_invalid_invitations_are_300(api, live_meeting, params):
    response = api.patch(f"/v2/live_meetings/{live_meeting['id']}/events",
                         {"method": "participant.invite", "params": params}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 300


def test_mute_all_mutes_everyone_but_the_host(api, live_meeting, joiner):
    joiner().join(live_meeting["id"], name="Guest")
    assert event(api, live_meeting["id"], "participants.mute_all").status_code == 202
    muted = dict(Participant.objects.filter(meeting_id=live_meeting["id"]).values_list("name", "muted"))
    assert muted == {"Hana Host": False, "Guest": True}


def test_meeting_end(api, live_meeting):
    assert event(api, live_meeting["id"], "meeting.end").status_code == 202
    assert api.get(f"/v2/meetings/{live_meeting['id']}").json()["status"] == "waiting"


def test_unknown_methods_are_300(api, live_meeting):
    response = event(api, live_meeting["id"], "recording.rewind")
    assert response.status_code == 400 and response.json()["message"].startswith("method")


def test_meeting_master_scope_is_accepted(api_client, host, live_meeting):
    response = event(api_client(host, "meeting:master"), live_meeting["id"], "recording.start")
    assert response.status_code == 202
    denied = event(api_client(host, "meeting:read"), live_meeting["id"], "recording.stop")
    assert denied.status_code == 400 and denied.json()["code"] == 4711


def test_host_controls_from_the_room(live_meeting, host, joiner):
    host_session = joiner(host)
    host_session.join(live_meeting["id"])
    guest = joiner()
    guest.join(live_meeting["id"], name="Guest")
    assert guest.post(f"/j/{live_meeting['id']}/control", ticket=guest.ticket, action="end").status_code == 403
    response = host_session.post(f"/j/{live_meeting['id']}/control", ticket=host_session.ticket, action="recording.start")
    assert response.json()["recording"] == "recording"
    assert host_session.post(f"/j/{live_meeting['id']}/control", ticket=host_session.ticket,
                             action="mute_all").status_code == 200
    assert guest.status(live_meeting["id"])["muted"] is True
    assert host_session.post(f"/j/{live_meeting['id']}/control", ticket=host_session.ticket,
                             action="explode").status_code == 400
    ended = host_session.post(f"/j/{live_meeting['id']}/control", ticket=host_session.ticket, action="end").json()
    assert ended["live"] is False
