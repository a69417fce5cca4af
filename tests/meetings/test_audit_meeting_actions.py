"""Critical meeting actions land in the audit log with actor, address and target: deletion and
recovery, passcode and settings changes, livestream URL changes and start/stop, invite links, SIP
URIs, and in the room removals, role changes and recording start/stop."""

import pytest

from accounts.models import AuditEvent
from tests.meetings.helpers import act

pytestmark = pytest.mark.django_db


def event(action, **filters):
    found = AuditEvent.objects.filter(action=action, **filters)
    assert found.exists(), f"no {action} in {list(AuditEvent.objects.values_list('action', flat=True))}"
    return found.latest("id")


def test_meeting_api_actions_are_audited(api, create_meeting, host):
    created = create_meeting(password="4321")
    mid = created["id"]
    target = {"target_type": "meetings.meeting", "target_id": str(mid)}
    api.patch(f"/v2/meetings/{mid}", {"password": "9999", "settings": {"waiting_room": True}}, format="json",
              REMOTE_ADDR="198.51.100.4")
    updated = event("meeting.updated", **target)
    assert updated.actor == host and updated.ip_address == "198.51.100.4"
    assert updated.details["passcode_changed"] is True and "settings" in updated.details["fields"]
    assert "9999" not in str(updated.details)  # never the passcode itself
    api.patch(f"/v2/meetings/{mid}/livestream", {"stream_url": "rtmp://8.8.8.8/live", "stream_key": "k",
                                                 "page_url": "https://example.com"}, format="json")
    assert event("meeting.livestream_changed", **target).details["stream_url"] == "rtmp://8.8.8.8/live"
    api.post(f"/v2/meetings/{mid}/invite_links", {"attendees": [{"name": "Ann"}]}, format="json")
    assert event("meeting.invite_links_created", **target).details["count"] == 1
    api.delete(f"/v2/meetings/{mid}")
    assert event("meeting.deleted", **target).actor == host
    api.put(f"/v2/meetings/{mid}/status", {"action": "recover"}, format="json")
    assert event("meeting.recovered", **target).actor == host


def test_sip_uris_are_audited(api_client, create_meeting, host):
    created = create_meeting()
    api_client(host, "meeting:write:sip_dialing").post(f"/v2/meetings/{created['id']}/sip_dialing", {},
                                                       format="json")
    assert event("meeting.sip_uri_created", target_id=str(created["id"])).actor == host


def test_room_removals_role_changes_and_recording_are_audited(in_call, host):
    created, host_session, guests = in_call
    mid = created["id"]
    act(host_session, mid, guests["Cora"], "make-cohost")
    role = event("meeting.participant_role_changed", target_id=str(mid))
    assert role.actor == host and role.details["participant"] == "Cora" and role.details["role"] == "co_host"
    assert role.ip_address == "127.0.0.1"
    act(host_session, mid, guests["Gus"], "remove")
    assert event("meeting.participant_removed", target_id=str(mid)).details["participant"] == "Gus"
    host_session.post(f"/j/{mid}/control", ticket=host_session.ticket, action="recording.start")
    assert event("meeting.recording_started", target_id=str(mid)).actor == host
