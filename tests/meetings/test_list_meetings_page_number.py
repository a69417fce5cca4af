"""GET /users/{userId}/meetings honours Zoom's deprecated page_number (a page by offset), and the
next_page_token of that page goes on from there."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_meetings(create_meeting):
    return [create_meeting(topic=f"M{n}", start_time=f"2031-01-0{n + 1}T10:00:00Z")["id"] for n in range(5)]


def test_page_number_picks_the_page(api, five_meetings):
    page = api.get("/v2/users/me/meetings", {"page_size": 2, "page_number": 2}).json()
    assert page["page_number"] == 2 and page["page_count"] == 3 and page["total_records"] == 5
    assert [m["id"] for m in page["meetings"]] == five_meetings[2:4]
    following = api.get("/v2/users/me/meetings", {"page_size": 2, "next_page_token": page["next_page_token"]}).json()
    assert [m["id"] for m in following["meetings"]] == five_meetings[4:] and following["page_number"] == 3
    assert following["next_page_token"] == "" and following["total_records"] == 5  # counted apart after a token


def test_past_the_end_is_empty_and_bad_numbers_are_300(api, five_meetings):
    empty = api.get("/v2/users/me/meetings", {"page_size": 2, "page_number": 4}).json()
    assert empty["meetings"] == [] and empty["next_page_token"] == ""
    assert empty["total_records"] == 5  # an empty page has no row to carry the count: counted apart
    for bad in ("0", "-1", "two"):
        response = api.get("/v2/users/me/meetings", {"page_number": bad})
        assert response.status_code == 400 and response.json()["message"].startswith("page_number")


def test_the_token_wins_over_page_number(api, five_meetings):
    first = api.get("/v2/users/me/meetings", {"page_size": 2}).json()
    second = api.get("/v2/users/me/meetings", {"page_size": 2, "page_number": 1,
                                               "next_page_token": first["next_page_token"]}).json()
    assert [m["id"] for m in second["meetings"]] == five_meetings[2:4]
