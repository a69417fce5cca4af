"""The seed's GET /v2/users/{userId}/upcoming_meetings: the next 24 hours."""

import pytest

from tests.support.meetings import in_future

pytestmark = pytest.mark.django_db


def test_lists_meetings_and_occurrences_starting_within_24_hours(api, create_meeting):
    soon = create_meeting(topic="Soon", start_time=in_future(hours=3))
    create_meeting(topic="Later", start_time=in_future(hours=30))
    daily = create_meeting(type=8, topic="Daily", start_time=in_future(hours=1), recurrence={"type": 1, "end_times": 5})
    response = api.get("/v2/users/me/upcoming_meetings")
    assert response.status_code == 200
    body = response.json()
    assert body["total_records"] == len(body["meetings"]) == 2
    assert [m["id"] for m in body["meetings"]] == [daily["id"], soon["id"]]
    assert body["meetings"][0]["occurrence_id"] == daily["occurrences"][0]["occurrence_id"]


def test_live_meetings_are_included(api, create_meeting, host, joiner):
    instant = create_meeting(type=1, password="")
    joiner(host).join(instant["id"])
    assert [m["id"] for m in api.get("/v2/users/me/upcoming_meetings").json()["meetings"]] == [instant["id"]]


def test_other_users_need_admin_scope(api_client, host, make_user):
    colleague = make_user(account=host.account)
    assert api_client(host, "meeting:read").get(f"/v2/users/{colleague.public_id}/upcoming_meetings").status_code == 404
    admin = api_client(host, "meeting:read:admin").get(f"/v2/users/{colleague.public_id}/upcoming_meetings")
    assert admin.status_code == 200 and admin.json() == {"total_records": 0, "meetings": []}
