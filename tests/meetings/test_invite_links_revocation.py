"""Invite links stop working when the meeting's passcode changes, and can be revoked all at once
(DELETE /v2/meetings/{id}/invite_links); links made afterwards work."""

from urllib.parse import parse_qs, urlparse

import pytest

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

JBH = {"join_before_host": True}


def make_link(api, meeting_id, name="Ann"):
    response = api.post(f"/v2/meetings/{meeting_id}/invite_links", {"attendees": [{"name": name}]}, format="json")
    assert response.status_code == 201
    return parse_qs(urlparse(response.json()["attendees"][0]["join_url"]).query)["tk"][0]


def test_a_passcode_change_invalidates_invite_links(api, create_meeting, joiner):
    created = create_meeting(password="4321", settings=JBH)
    tk = make_link(api, created["id"])
    api.patch(f"/v2/meetings/{created['id']}", {"password": "9876"}, format="json")
    answer = joiner().join(created["id"], name="x", tk=tk)
    assert answer["state"] == "denied" and answer["reason"] == "invite_invalid"
    assert joiner().join(created["id"], name="x", tk=make_link(api, created["id"]))["state"] == "admitted"


def test_other_changes_keep_invite_links(api, create_meeting, joiner):
    created = create_meeting(password="4321", settings=JBH)
    tk = make_link(api, created["id"])
    api.patch(f"/v2/meetings/{created['id']}", {"topic": "Renamed"}, format="json")
    assert joiner().join(created["id"], name="x", tk=tk)["state"] == "admitted"


def test_invite_links_can_be_revoked(api, create_meeting, joiner, host):
    created = create_meeting(password="4321", settings=JBH)
    tk = make_link(api, created["id"])
    response = api.delete(f"/v2/meetings/{created['id']}/invite_links")
    assert response.status_code == 204
    assert joiner().join(created["id"], name="x", tk=tk)["reason"] == "invite_invalid"
    assert joiner().join(created["id"], name="x", tk=make_link(api, created["id"]))["state"] == "admitted"
    assert AuditEvent.objects.filter(action="meeting.invite_links_revoked", actor=host,
                                     target_id=str(created["id"])).exists()


def test_revoking_needs_the_write_scope_and_the_meeting(api_client, create_meeting, host, make_user):
    created = create_meeting()
    assert api_client(host, "meeting:read").delete(f"/v2/meetings/{created['id']}/invite_links").status_code == 400
    stranger = api_client(make_user(), "meeting:write").delete(f"/v2/meetings/{created['id']}/invite_links")
    assert stranger.status_code == 404
