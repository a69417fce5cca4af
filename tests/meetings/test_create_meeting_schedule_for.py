"""schedule_for naming nobody the caller may schedule for: Zoom's 400, code 300, not a 404."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["nobody@example.org", "not-a-user-id"])
def test_unknown_schedule_for_is_300(api_client, host, value):
    response = api_client(host, "meeting:write meeting:write:admin").post(
        "/v2/users/me/meetings", {"type": 2, "start_time": "2031-01-01T10:00:00Z", "schedule_for": value}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 300
    assert response.json()["message"].startswith("schedule_for: ")


def test_another_accounts_user_is_unknown(api_client, host, make_user):
    stranger = make_user(email="stranger@elsewhere.org")
    response = api_client(host, "meeting:write meeting:write:admin").post(
        "/v2/users/me/meetings", {"type": 2, "start_time": "2031-01-01T10:00:00Z", "schedule_for": stranger.email},
        format="json")
    assert response.status_code == 400 and response.json()["code"] == 300
