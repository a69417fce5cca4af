"""POST /v2/users/{userId}/meetings"""

import pytest

from meetings.models import Meeting
from tests.support.meetings import RW, in_future

pytestmark = pytest.mark.django_db


def test_scheduled_meeting_is_created_with_zoom_fields(api, host):
    start = in_future(days=3)
    response = api.post("/v2/users/me/meetings", {
        "topic": "Quarterly review", "type": 2, "start_time": start, "duration": 45, "timezone": "Europe/Berlin",
        "password": "abc123", "agenda": "Numbers", "settings": {"waiting_room": True, "mute_upon_entry": True},
    }, format="json")
    assert response.status_code == 201
    body = response.json()
    assert 10 <= len(str(body["id"])) <= 11
    assert body["topic"] == "Quarterly review" and body["type"] == 2
    assert body["start_time"] == start and body["duration"] == 45 and body["timezone"] == "Europe/Berlin"
    assert body["host_id"] == host.public_id and body["host_email"] == host.email
    assert body["password"] == "abc123"
    assert body["encrypted_password"] and f"pwd={body['encrypted_password']}" in body["join_url"]
    assert body["join_url"].startswith(f"http://localhost:8000/j/{body['id']}")
    assert body["settings"]["waiting_room"] is True and body["settings"]["mute_upon_entry"] is True
    assert body["settings"]["join_before_host"] is False  # defaults are filled in
    assert body["status"] == "waiting"
    assert Meeting.objects.get(pk=body["id"]).host == host


def test_local_start_time_is_read_in_the_meeting_time_zone(api):
    response = api.post("/v2/users/me/meetings", {"type": 2, "start_time": "2031-07-01T09:00:00",
                                                  "timezone": "America/New_York"}, format="json")
    assert response.status_code == 201
    assert response.json()["start_time"] == "2031-07-01T13:00:00Z"  # EDT is UTC-4


def test_instant_meeting_starts_when_created(api):
    body = api.post("/v2/users/me/meetings", {"type": 1, "topic": "Now"}, format="json").json()
    assert body["type"] == 1 and body["start_time"] == body["created_at"]  # as Zoom shows it


def test_passcode_is_generated_when_omitted_and_can_be_left_out(api):
    generated = api.post("/v2/users/me/meetings", {"type": 1}, format="json").json()
    assert generated["password"].isdigit() and len(generated["password"]) == 6
    none = api.post("/v2/users/me/meetings", {"type": 1, "password": ""}, format="json").json()
    assert none["password"] == "" and "pwd=" not in none["join_url"]


def test_user_id_accepts_me_public_id_and_email(api, host):
    for user_id in ("me", host.public_id, host.email):
        response = api.post(f"/v2/users/{user_id}/meetings", {"type": 1}, format="json")
        assert response.status_code == 201
        assert response.json()["host_id"] == host.public_id


def test_creating_for_another_user_needs_the_admin_scope(api_client, host, make_user):
    colleague = make_user(account=host.account)
    plain = api_client(host, RW).post(f"/v2/users/{colleague.email}/meetings", {"type": 1}, format="json")
    assert plain.status_code == 404 and plain.json()["code"] == 1001
    admin = api_client(host, "meeting:read:admin meeting:write:admin")
    response = admin.post(f"/v2/users/{colleague.email}/meetings", {"type": 1}, format="json")
    assert response.status_code == 201 and response.json()["host_id"] == colleague.public_id


def test_schedule_for_creates_the_meeting_for_that_user(api_client, host, make_user):
    colleague = make_user(account=host.account)
    admin = api_client(host, "meeting:write:admin")
    body = admin.post("/v2/users/me/meetings", {"type": 1, "schedule_for": colleague.public_id}, format="json").json()
    assert body["host_email"] == colleague.email


def test_users_of_another_account_are_not_found_even_for_admins(api_client, host, make_user):
    stranger = make_user()
    admin = api_client(host, "meeting:write:admin")
    response = admin.post(f"/v2/users/{stranger.email}/meetings", {"type": 1}, format="json")
    assert response.status_code == 404 and response.json()["code"] == 1001


@pytest.mark.parametrize("body, field", [
    ({"type": 2}, "start_time"),
    ({"type": 8, "start_time": "2031-01-01T10:00:00Z"}, "recurrence"),
    ({"type": 5}, "type"),
    ({"type": "2"}, "type"),
    ({"topic": 12}, "topic"),
    ({"topic": "x" * 201}, "topic"),
    ({"type": 1, "duration": 0}, "duration"),
    ({"type": 1, "duration": 1441}, "duration"),
    ({"type": 1, "duration": "60"}, "duration"),
    ({"type": 1, "duration": 60.5}, "duration"),
    ({"type": 1, "timezone": "Mars/Olympus"}, "timezone"),
    ({"type": 1, "timezone": "../../etc/passwd"}, "timezone"),
    ({"type": 2, "start_time": "tomorrow"}, "start_time"),
    ({"type": 2, "start_time": "2031-02-30T10:00:00Z"}, "start_time"),
    ({"type": 1, "password": "way-too-long-passcode"}, "password"),
    ({"type": 1, "password": "no spaces"}, "password"),
    ({"type": 1, "agenda": "a" * 2001}, "agenda"),
    ({"type": 1, "settings": {"waiting_room": "yes"}}, "settings.waiting_room"),
    ({"type": 1, "settings": {"jbh_time": 7}}, "settings.jbh_time"),
    ({"type": 1, "settings": {"auto_recording": "tape"}}, "settings.auto_recording"),
    ({"type": 1, "settings": {"alternative_hosts": "nobody@example.org"}}, "settings.alternative_hosts"),
    ({"type": 1, "settings": []}, "settings"),
    ({"type": 1, "topic": "nul\x00byte"}, "topic"),
])
def test_invalid_fields_are_a_300_error_naming_the_field(api, body, field):
    response = api.post("/v2/users/me/meetings", body, format="json")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == 300
    assert error["message"].startswith(f"{field}:"), error["message"]


def test_a_body_that_is_not_a_json_object_is_refused(api):
    assert api.post("/v2/users/me/meetings", [1, 2], format="json").status_code == 400
    response = api.generic("POST", "/v2/users/me/meetings", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == 300


def test_alternative_hosts_are_checked_and_normalised(api, host, make_user):
    colleague = make_user(email="Alt.Host@example.com", account=host.account)
    body = api.post("/v2/users/me/meetings", {"type": 1, "settings": {"alternative_hosts": colleague.public_id}},
                    format="json").json()
    assert body["settings"]["alternative_hosts"] == "alt.host@example.com"


def test_unknown_fields_are_ignored(api):
    response = api.post("/v2/users/me/meetings", {"type": 1, "colour": "blue", "settings": {"sparkles": True}},
                        format="json")
    assert response.status_code == 201 and "sparkles" not in response.json()["settings"]
