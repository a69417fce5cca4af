"""GET /v2/users/{userId}/meetings: list types, date range, and stable, expiring pagination."""

import time

import pytest

from config.api import make_page_token
from meetings.models import Instance
from tests.support.meetings import in_future

pytestmark = pytest.mark.django_db


def ids(response):
    return [m["id"] for m in response.json()["meetings"]]


def test_scheduled_lists_scheduled_and_recurring_but_not_instant(api, create_meeting):
    scheduled = create_meeting(type=2)
    recurring = create_meeting(type=3)
    create_meeting(type=1)
    response = api.get("/v2/users/me/meetings")
    assert response.status_code == 200
    assert set(ids(response)) == {scheduled["id"], recurring["id"]}
    assert response.json()["total_records"] == 2 and response.json()["page_size"] == 30


def test_live_upcoming_and_previous(api, create_meeting, host, joiner):
    future = create_meeting(start_time=in_future(days=1))
    past = create_meeting(start_time="2020-01-01T10:00:00Z")
    instant = create_meeting(type=1, password="")
    joiner(host).join(instant["id"])  # the host starts it: live

    assert ids(api.get("/v2/users/me/meetings", {"type": "live"})) == [instant["id"]]
    assert set(ids(api.get("/v2/users/me/meetings", {"type": "upcoming"}))) == {future["id"], instant["id"]}
    assert set(ids(api.get("/v2/users/me/meetings", {"type": "upcoming_meetings"}))) == {future["id"], instant["id"]}
    assert ids(api.get("/v2/users/me/meetings", {"type": "previous_meetings"})) == [past["id"]]

    api.put(f"/v2/meetings/{instant['id']}/status", {"action": "end"}, format="json")
    assert set(ids(api.get("/v2/users/me/meetings", {"type": "previous_meetings"}))) == {past["id"], instant["id"]}


def test_from_and_to_filter_by_start_date(api, create_meeting):
    march = create_meeting(start_time="2031-03-10T10:00:00Z")
    create_meeting(start_time="2031-05-10T10:00:00Z")
    series = create_meeting(type=8, start_time="2031-02-25T10:00:00Z", recurrence={"type": 2, "weekly_days": "3",
                                                                                  "end_times": 4})
    response = api.get("/v2/users/me/meetings", {"from": "2031-03-01", "to": "2031-03-31"})
    assert set(ids(response)) == {march["id"], series["id"]}
    assert api.get("/v2/users/me/meetings", {"from": "2031-13-01"}).status_code == 400
    assert api.get("/v2/users/me/meetings", {"from": "2031-04-01", "to": "2031-03-01"}).status_code == 400


def test_pages_are_stable_and_complete(api, create_meeting):
    created = [create_meeting(start_time=f"2031-06-{day:02d}T10:00:00Z")["id"] for day in range(1, 8)]
    first = api.get("/v2/users/me/meetings", {"page_size": 3}).json()
    assert first["page_size"] == 3 and first["total_records"] == 7 and first["page_count"] == 3
    assert [m["id"] for m in first["meetings"]] == created[:3]
    # A meeting scheduled before the cursor while paging does not shift the next pages.
    create_meeting(start_time="2031-05-01T10:00:00Z")
    second = api.get("/v2/users/me/meetings", {"page_size": 3, "next_page_token": first["next_page_token"]}).json()
    assert [m["id"] for m in second["meetings"]] == created[3:6]
    third = api.get("/v2/users/me/meetings", {"page_size": 3, "next_page_token": second["next_page_token"]}).json()
    assert [m["id"] for m in third["meetings"]] == created[6:]
    assert third["next_page_token"] == ""


def test_an_expired_page_token_is_refused(api, create_meeting, host):
    for day in range(1, 4):
        create_meeting(start_time=f"2031-06-{day:02d}T10:00:00Z")
    token = api.get("/v2/users/me/meetings", {"page_size": 1}).json()["next_page_token"]
    assert api.get("/v2/users/me/meetings", {"page_size": 1, "next_page_token": token}).status_code == 200
    # The same cursor, issued 15 minutes and 1 second ago.
    from config.api import _PageTokenSigner

    state = _PageTokenSigner().unsign_object(token)
    aged = make_page_token(state.pop("s"), state, issued_at=time.time() - 15 * 60 - 1)
    response = api.get("/v2/users/me/meetings", {"page_size": 1, "next_page_token": aged})
    assert response.status_code == 400 and "expired" in response.json()["message"]
    fresh = make_page_token(f"meetings:{host.pk}:{host.pk}:scheduled:None:None:UTC", state,
                            issued_at=time.time() - 14 * 60)
    assert api.get("/v2/users/me/meetings", {"page_size": 1, "next_page_token": fresh}).status_code == 200


def test_forged_or_foreign_page_tokens_are_refused(api, create_meeting):
    for day in range(1, 4):
        create_meeting(start_time=f"2031-06-{day:02d}T10:00:00Z")
    token = api.get("/v2/users/me/meetings", {"page_size": 1}).json()["next_page_token"]
    assert api.get("/v2/users/me/meetings", {"next_page_token": token[:-2] + "xx"}).status_code == 400
    other_list = api.get("/v2/users/me/meetings", {"type": "upcoming", "next_page_token": token})
    assert other_list.status_code == 400 and other_list.json()["message"].startswith("next_page_token")


@pytest.mark.parametrize("params, field", [
    ({"page_size": 301}, "page_size"), ({"page_size": 0}, "page_size"), ({"page_size": "ten"}, "page_size"),
    ({"type": "future"}, "type"),
])
def test_invalid_query_values_are_300(api, params, field):
    response = api.get("/v2/users/me/meetings", params)
    assert response.status_code == 400 and response.json()["message"].startswith(field)


def test_page_size_up_to_300(api, create_meeting):
    create_meeting()
    assert api.get("/v2/users/me/meetings", {"page_size": 300}).json()["page_size"] == 300


def test_deleted_meetings_are_not_listed(api, create_meeting):
    created = create_meeting()
    api.delete("/v2/users/me/meetings".replace("users/me/meetings", f"meetings/{created['id']}"))
    assert ids(api.get("/v2/users/me/meetings")) == []


def test_listing_another_users_meetings_needs_admin(api_client, host, make_user, create_meeting):
    colleague = make_user(account=host.account)
    theirs = create_meeting(client=api_client(colleague, "meeting:write"))
    assert api_client(host, "meeting:read").get(f"/v2/users/{colleague.email}/meetings").status_code == 404
    admin = api_client(host, "meeting:read:admin")
    assert ids(admin.get(f"/v2/users/{colleague.email}/meetings")) == [theirs["id"]]
    assert Instance.objects.count() == 0
