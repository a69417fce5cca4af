"""Recurrence expansion (meetings.recurrence) and the occurrences the API shows."""

from datetime import datetime, timezone

import pytest

from meetings import recurrence
from meetings.validation import RecurrenceSerializer

UTC = timezone.utc


def expand(rule: dict, start: str, tz: str = "UTC") -> list[str]:
    serializer = RecurrenceSerializer(data=rule)
    serializer.is_valid(raise_exception=True)
    starts = recurrence.expand(serializer.validated_data, datetime.fromisoformat(start), tz)
    return [s.strftime("%Y-%m-%dT%H:%M") for s in starts]


def test_daily_every_two_days():
    assert expand({"type": 1, "repeat_interval": 2, "end_times": 3}, "2031-01-01T10:00:00+00:00") == [
        "2031-01-01T10:00", "2031-01-03T10:00", "2031-01-05T10:00"]


def test_weekly_on_zoom_day_numbers():
    # 2031-01-01 is a Wednesday; "2,4" = Monday and Wednesday (1 = Sunday).
    assert expand({"type": 2, "weekly_days": "2,4", "end_times": 4}, "2031-01-01T10:00:00+00:00") == [
        "2031-01-01T10:00", "2031-01-06T10:00", "2031-01-08T10:00", "2031-01-13T10:00"]


def test_monthly_by_day_skips_months_without_it():
    assert expand({"type": 3, "monthly_day": 31, "end_times": 3}, "2031-01-31T10:00:00+00:00") == [
        "2031-01-31T10:00", "2031-03-31T10:00", "2031-05-31T10:00"]


def test_monthly_last_friday():
    assert expand({"type": 3, "monthly_week": -1, "monthly_week_day": 6, "end_times": 3},
                  "2031-01-01T10:00:00+00:00") == ["2031-01-31T10:00", "2031-02-28T10:00", "2031-03-28T10:00"]


def test_end_date_time_bounds_the_series():
    assert expand({"type": 1, "end_date_time": "2031-01-03T23:00:00Z"}, "2031-01-01T10:00:00+00:00") == [
        "2031-01-01T10:00", "2031-01-02T10:00", "2031-01-03T10:00"]


def test_at_most_sixty_occurrences():
    assert len(expand({"type": 1, "end_date_time": "2035-01-01T00:00:00Z"}, "2031-01-01T10:00:00+00:00")) == 60


def test_wall_clock_time_is_kept_across_dst_in_new_york():
    # 09:00 in New York: 14:00 UTC before 2031-03-09 (EST), 13:00 UTC after (EDT).
    assert expand({"type": 2, "weekly_days": "2", "end_times": 3}, "2031-03-03T14:00:00+00:00",
                  "America/New_York") == ["2031-03-03T14:00", "2031-03-10T13:00", "2031-03-17T13:00"]


def test_wall_clock_time_is_kept_across_dst_end_in_berlin():
    # 09:00 in Berlin: 07:00 UTC in summer (CEST), 08:00 UTC after 2031-10-26 (CET).
    assert expand({"type": 1, "repeat_interval": 1, "end_times": 3}, "2031-10-25T07:00:00+00:00",
                  "Europe/Berlin") == ["2031-10-25T07:00", "2031-10-26T08:00", "2031-10-27T08:00"]


def test_occurrence_ids_are_epoch_milliseconds():
    assert recurrence.occurrence_id_for(datetime(2022, 3, 25, 7, 46, tzinfo=UTC)) == 1648194360000


@pytest.mark.parametrize("rule, field", [
    ({"type": 4}, "type"),
    ({"type": 1, "repeat_interval": 100}, "repeat_interval"),
    ({"type": 2, "weekly_days": "8"}, "weekly_days"),
    ({"type": 2, "weekly_days": "mon"}, "weekly_days"),
    ({"type": 3, "monthly_week": 1}, "monthly_week"),
    ({"type": 3, "monthly_day": 32}, "monthly_day"),
    ({"type": 1, "end_times": 3, "end_date_time": "2031-01-01T00:00:00Z"}, "end_date_time"),
    ({"type": 1, "end_times": 0}, "end_times"),
])
def test_invalid_rules_name_the_field(rule, field):
    serializer = RecurrenceSerializer(data=rule)
    assert not serializer.is_valid()
    assert field in serializer.errors


@pytest.mark.django_db
def test_api_occurrences_follow_dst_in_the_meeting_time_zone(api):
    response = api.post("/v2/users/me/meetings", {
        "type": 8, "topic": "Standup", "start_time": "2031-03-06T09:00:00", "timezone": "America/New_York",
        "recurrence": {"type": 1, "end_times": 5}}, format="json")
    assert response.status_code == 201
    starts = [o["start_time"] for o in response.json()["occurrences"]]
    assert starts == ["2031-03-06T14:00:00Z", "2031-03-07T14:00:00Z", "2031-03-08T14:00:00Z",
                      "2031-03-09T13:00:00Z", "2031-03-10T13:00:00Z"]
    assert response.json()["recurrence"] == {"type": 1, "end_times": 5}


@pytest.mark.django_db
def test_an_end_date_before_the_start_is_refused(api):
    response = api.post("/v2/users/me/meetings", {
        "type": 8, "start_time": "2031-03-06T09:00:00Z", "recurrence": {"type": 1, "end_date_time": "2031-03-01T00:00:00Z"},
    }, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith("recurrence.end_date_time")
