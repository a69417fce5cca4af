"""DELETE /v2/meetings/{meetingId}"""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_delete_answers_204_and_the_meeting_is_gone(api, create_meeting):
    created = create_meeting()
    response = api.delete(f"/v2/meetings/{created['id']}")
    assert response.status_code == 204 and response.content == b""
    assert api.get(f"/v2/meetings/{created['id']}").status_code == 404
    assert api.delete(f"/v2/meetings/{created['id']}").status_code == 404


def test_delete_one_occurrence(api, create_meeting):
    created = create_meeting(type=8, start_time="2031-01-01T09:00:00Z", timezone="UTC",
                             recurrence={"type": 1, "end_times": 3})
    middle = created["occurrences"][1]["occurrence_id"]
    assert api.delete(f"/v2/meetings/{created['id']}?occurrence_id={middle}").status_code == 204
    left = [o["occurrence_id"] for o in api.get(f"/v2/meetings/{created['id']}").json()["occurrences"]]
    assert left == [created["occurrences"][0]["occurrence_id"], created["occurrences"][2]["occurrence_id"]]
    again = api.delete(f"/v2/meetings/{created['id']}?occurrence_id={middle}")
    assert again.status_code == 400 and again.json()["code"] == 3000  # Zoom: "Invalid occurrence_id"


def test_schedule_for_reminder_emails_the_hosts(api, create_meeting, host, make_user, django_capture_on_commit_callbacks):
    alternative = make_user(email="alt@example.com", account=host.account)
    created = create_meeting(topic="Board", settings={"alternative_hosts": alternative.email})
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/v2/meetings/{created['id']}?schedule_for_reminder=true").status_code == 204
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {host.email, alternative.email} and "Board" in mail.outbox[0].subject


def test_no_reminder_by_default(api, create_meeting, django_capture_on_commit_callbacks):
    created = create_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        api.delete(f"/v2/meetings/{created['id']}")
    assert mail.outbox == []


def test_reminder_flags_must_be_booleans(api, create_meeting):
    created = create_meeting()
    response = api.delete(f"/v2/meetings/{created['id']}?cancel_meeting_reminder=maybe")
    assert response.status_code == 400 and response.json()["message"].startswith("cancel_meeting_reminder")
