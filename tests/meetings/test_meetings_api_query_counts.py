"""The hot /v2 meeting paths run a fixed number of SQL queries, however many meetings they show.

The load benchmark (bench/api_load.py) measures their speed; this guards the query count so a
per-row query (an N+1) cannot creep back in unnoticed.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.actions import schedule

pytestmark = pytest.mark.django_db


def schedule_meetings(host, count: int, first_day: int) -> None:
    # Through the action, not the API: thirty POSTs in a second would meet the /v2 rate limit.
    for n in range(count):
        kind = (3, 2, 8)[n % 3]
        fields = {"topic": f"meeting {first_day + n}", "type": kind, "duration": 30,
                  "start_time": timezone.now() + timedelta(days=first_day + n)}
        if kind == 8:  # its list start is its next occurrence's
            fields["recurrence"] = {"type": 1, "repeat_interval": 1, "end_times": 3}
        schedule.create_meeting(host, fields, source="test")


def test_list_queries_do_not_grow_with_the_page(api, host, django_assert_max_num_queries):
    schedule_meetings(host, 3, first_day=1)
    api.get("/v2/users/me/meetings")  # the token's first use is recorded once a minute: not on the hot path
    with django_assert_max_num_queries(2) as few:
        assert api.get("/v2/users/me/meetings", {"page_size": 30}).status_code == 200
    schedule_meetings(host, 27, first_day=5)
    with django_assert_max_num_queries(len(few)) as many:
        response = api.get("/v2/users/me/meetings", {"page_size": 30})
    assert response.status_code == 200 and len(response.json()["meetings"]) == 30
    assert len(many) == len(few)  # the user; the page, with its count, live instances and next occurrences


def test_get_meeting_query_count(api, create_meeting, django_assert_max_num_queries):
    meeting = create_meeting(start_time="2030-01-01T10:00:00Z")
    api.get(f"/v2/meetings/{meeting['id']}")  # the token's first use is recorded once a minute
    with django_assert_max_num_queries(2):  # the user; the meeting with its live instance
        assert api.get(f"/v2/meetings/{meeting['id']}").status_code == 200
