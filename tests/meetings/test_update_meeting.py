"""PATCH /v2/meetings/{meetingId}"""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_patch_changes_the_meeting_and_answers_204(api, create_meeting):
    created = create_meeting(topic="Old")
    response = api.patch(f"/v2/meetings/{created['id']}", {
        "topic": "New", "duration": 90, "agenda": "Updated", "password": "9876",
        "settings": {"waiting_room": True}}, format="json")
    assert response.status_code == 204 and response.content == b""
    body = api.get(f"/v2/meetings/{created['id']}").json()
    assert (body["topic"], body["duration"], body["agenda"], body["password"]) == ("New", 90, "Updated", "9876")
    assert body["settings"]["waiting_room"] is True
    assert body["settings"]["mute_upon_entry"] == created["settings"]["mute_upon_entry"]  # untouched settings stay


def test_patch_can_reschedule_and_change_type(api, create_meeting):
    created = create_meeting()
    api.patch(f"/v2/meetings/{created['id']}", {"start_time": "2032-01-05T08:30:00Z"}, format="json")
    assert api.get(f"/v2/meetings/{created['id']}").json()["start_time"] == "2032-01-05T08:30:00Z"
    api.patch(f"/v2/meetings/{created['id']}", {"type": 8, "recurrence": {"type": 1, "end_times": 2}}, format="json")
    body = api.get(f"/v2/meetings/{created['id']}").json()
    assert body["type"] == 8 and [o["start_time"] for o in body["occurrences"]] == [
        "2032-01-05T08:30:00Z", "2032-01-06T08:30:00Z"]


def test_patch_one_occurrence(api, create_meeting):
    created = create_meeting(type=8, start_time="2031-05-04T10:00:00Z", timezone="UTC",
                             recurrence={"type": 2, "weekly_days": "1", "end_times": 3})
    first, second, third = created["occurrences"]
    response = api.patch(f"/v2/meetings/{created['id']}?occurrence_id={second['occurrence_id']}",
                         {"start_time": "2031-05-11T15:00:00Z", "duration": 30}, format="json")
    assert response.status_code == 204
    occurrences = api.get(f"/v2/meetings/{created['id']}").json()["occurrences"]
    assert occurrences[0] == first and occurrences[2] == third
    assert occurrences[1]["start_time"] == "2031-05-11T15:00:00Z" and occurrences[1]["duration"] == 30
    bad = api.patch(f"/v2/meetings/{created['id']}?occurrence_id={first['occurrence_id']}",
                    {"settings": {"alternative_hosts": ""}}, format="json")
    assert bad.status_code == 400 and bad.json()["message"].startswith("settings.alternative_hosts")


@pytest.mark.parametrize("body, field", [
    ({"duration": -5}, "duration"), ({"timezone": "Nowhere/City"}, "timezone"),
    ({"settings": {"mute_upon_entry": 1}}, "settings.mute_upon_entry"), ({"type": 2, "start_time": 5}, "start_time"),
    ({"recurrence": {"type": 1, "end_times": 61}}, "recurrence.end_times"),
])
def test_patch_rejects_invalid_fields(api, create_meeting, body, field):
    created = create_meeting()
    response = api.patch(f"/v2/meetings/{created['id']}", body, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith(field)


def test_switching_to_recurring_without_a_rule_is_refused(api, create_meeting):
    created = create_meeting()
    response = api.patch(f"/v2/meetings/{created['id']}", {"type": 8}, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith("recurrence")


@override_settings(MEETING_UPDATES_PER_DAY=3)
def test_more_updates_than_the_daily_limit_answer_429(api, create_meeting):
    created = create_meeting()
    statuses = [api.patch(f"/v2/meetings/{created['id']}", {"topic": f"v{i}"}, format="json").status_code
                for i in range(4)]
    assert statuses == [204, 204, 204, 429]
    assert api.patch(f"/v2/meetings/{created['id']}", {"topic": "x"}, format="json").json()["code"] == 429
