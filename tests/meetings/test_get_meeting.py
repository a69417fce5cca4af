"""GET /v2/meetings/{meetingId} and the seed's GET /v2/users/{userId}/meetings/{meetingId}"""

import pytest

from meetings.models import Instance

pytestmark = pytest.mark.django_db


def test_get_returns_the_meeting(api, create_meeting, host):
    created = create_meeting(topic="Planning", agenda="Roadmap")
    body = api.get(f"/v2/meetings/{created['id']}").json()
    assert body["id"] == created["id"] and body["topic"] == "Planning" and body["agenda"] == "Roadmap"
    assert body["uuid"] == created["uuid"] and body["status"] == "waiting"
    assert body["start_url"] and body["host_email"] == host.email


def test_the_seed_path_returns_the_same_meeting_for_its_host(api, create_meeting, host):
    created = create_meeting()
    for user_id in ("me", host.public_id, host.email):
        response = api.get(f"/v2/users/{user_id}/meetings/{created['id']}")
        assert response.status_code == 200 and response.json()["id"] == created["id"]


def test_the_seed_path_hides_meetings_of_another_host(api_client, create_meeting, host, make_user):
    colleague = make_user(account=host.account)
    created = create_meeting()
    admin = api_client(host, "meeting:read:admin")
    response = admin.get(f"/v2/users/{colleague.public_id}/meetings/{created['id']}")
    assert response.status_code == 404 and response.json()["code"] == 3001


def test_unknown_meeting_is_3001(api):
    response = api.get("/v2/meetings/12345678901")
    assert response.status_code == 404
    assert response.json() == {"code": 3001, "message": "Meeting 12345678901 is not found or has expired."}


@pytest.mark.parametrize("meeting_id", ["abc", "-5", "1.5", "99999999999999999999999", "0"])
def test_malformed_meeting_ids_are_300(api, meeting_id):
    response = api.get(f"/v2/meetings/{meeting_id}")
    assert response.status_code == 400 and response.json()["code"] == 300


def test_occurrence_details(api, create_meeting):
    created = create_meeting(type=8, start_time="2031-03-02T10:00:00Z", timezone="UTC",
                             recurrence={"type": 1, "end_times": 3})
    second = created["occurrences"][1]
    body = api.get(f"/v2/meetings/{created['id']}", {"occurrence_id": second["occurrence_id"]}).json()
    assert body["start_time"] == second["start_time"] == "2031-03-03T10:00:00Z"
    for unknown in ("1", "x"):  # Zoom: 400, code 3000 "Invalid occurrence_id"
        response = api.get(f"/v2/meetings/{created['id']}", {"occurrence_id": unknown})
        assert response.status_code == 400 and response.json()["code"] == 3000


def test_unknown_query_parameters_are_ignored(api, create_meeting):
    created = create_meeting()
    assert api.get(f"/v2/meetings/{created['id']}", {"colour": "blue", "page_number": "x"}).status_code == 200


def test_meeting_read_scope_is_enough_to_read(api_client, create_meeting, host):
    created = create_meeting()
    assert api_client(host, "meeting:read").get(f"/v2/meetings/{created['id']}").status_code == 200


def test_a_live_meeting_shows_its_instance_to_its_host_and_to_an_admin(api_client, create_meeting, make_user, host):
    """The meeting and its live instance come from one query; an admin reading a colleague's meeting
    sees the colleague as its host; another account's admin does not see it at all."""
    colleague = make_user(account=host.account)
    created = create_meeting(client=api_client(colleague, "meeting:write"))
    live = Instance.objects.create(meeting_id=created["id"], started_at="2030-01-01T10:00:00Z")
    for reader in (api_client(colleague, "meeting:read"), api_client(host, "meeting:read:admin")):
        body = reader.get(f"/v2/meetings/{created['id']}").json()
        assert body["uuid"] == live.uuid != created["uuid"] and body["status"] == "started"
        assert body["host_id"] == colleague.public_id and body["host_email"] == colleague.email
    assert api_client(host, "meeting:read").get(f"/v2/meetings/{created['id']}").status_code == 404
    stranger = api_client(make_user(), "meeting:read:admin")
    assert stranger.get(f"/v2/meetings/{created['id']}").status_code == 404
