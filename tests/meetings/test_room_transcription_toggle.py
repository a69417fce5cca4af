"""POST /j/<id>/control with action transcription.start / transcription.stop: hosts and co-hosts
start live transcription (captions) without recording; attendees cannot; each change is audited;
the engine's conference follows (its transcription state, and time zero of live utterances)."""

import pytest

from accounts.models import AuditEvent
from meetings.models import Instance
from mind.client import get_mind
from mind.models import Conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_call(create_meeting, host, joiner):
    created = create_meeting(password="")
    host_session, guest = joiner(host), joiner()
    host_session.join(created["id"])
    guest.join(created["id"], name="Gus")
    conference_id = Instance.objects.get(meeting_id=created["id"], ended_at__isnull=True).conference_id
    return created, host_session, guest, conference_id


def control(session, meeting_id, action):
    return session.post(f"/j/{meeting_id}/control", ticket=session.ticket, action=action)


def test_the_host_starts_and_stops_transcription(in_call, host):
    created, host_session, _, conference_id = in_call
    response = control(host_session, created["id"], "transcription.start")
    assert response.status_code == 200
    assert response.json() == {"action": "transcription.start", "live": True, "transcription": True}
    assert get_mind().get_transcription(conference_id) == {"started": True}
    conference = Conference.objects.get(pk=conference_id)
    assert conference.transcription_started_at is not None and conference.recording_state == "idle"
    started = AuditEvent.objects.get(action="meeting.transcription_started", target_id=str(created["id"]))
    assert started.actor == host and started.details["via"] == "room"

    response = control(host_session, created["id"], "transcription.stop")
    assert response.status_code == 200 and response.json()["transcription"] is False
    assert get_mind().get_transcription(conference_id) == {"started": False}
    assert AuditEvent.objects.filter(action="meeting.transcription_stopped", target_id=str(created["id"])).exists()


def test_attendees_cannot_start_transcription(in_call):
    created, _, guest, conference_id = in_call
    response = control(guest, created["id"], "transcription.start")
    assert response.status_code == 403 and response.json()["error"]
    assert get_mind().get_transcription(conference_id) == {"started": False}
    assert not AuditEvent.objects.filter(action="meeting.transcription_started").exists()


def test_an_unknown_action_is_a_clear_400(in_call):
    created, host_session, _, _ = in_call
    response = control(host_session, created["id"], "transcription.pause")
    assert response.status_code == 400 and "transcription.start" in response.json()["error"]
