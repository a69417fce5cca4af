"""The seed's GET /v2/meetings/{meetingId}/participants: the live instance, waiting room included."""

import pytest

pytestmark = pytest.mark.django_db


def test_live_participants_and_waiting_room(api, create_meeting, host, joiner):
    created = create_meeting(password="", settings={"waiting_room": True})
    joiner(host).join(created["id"])
    joiner().join(created["id"], name="Waiting Walt")
    body = api.get(f"/v2/meetings/{created['id']}/participants").json()
    assert body["total_records"] == 2
    statuses = {p["name"]: p["status"] for p in body["participants"]}
    assert statuses == {"Hana Host": "in_meeting", "Waiting Walt": "in_waiting_room"}
    assert all("leave_time" not in p for p in body["participants"])


def test_a_meeting_never_started_has_no_participants(api, create_meeting):
    created = create_meeting()
    body = api.get(f"/v2/meetings/{created['id']}/participants").json()
    assert body["participants"] == [] and body["total_records"] == 0


def test_after_the_meeting_the_latest_instance_is_listed(api, create_meeting, host, joiner):
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json")
    participants = api.get(f"/v2/meetings/{created['id']}/participants").json()["participants"]
    assert [p["name"] for p in participants] == ["Hana Host"] and participants[0]["leave_time"]


def test_page_size_is_validated(api, create_meeting):
    created = create_meeting()
    response = api.get(f"/v2/meetings/{created['id']}/participants", {"page_size": 301})
    assert response.status_code == 400 and response.json()["message"].startswith("page_size")
