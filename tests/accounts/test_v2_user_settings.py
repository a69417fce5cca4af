"""GET/PATCH /v2/users/{userId}/settings: what the product has, each writable value taking effect on
the meetings the user schedules; anything else refused."""

import pytest

pytestmark = pytest.mark.django_db

RW = "user:read user:write meeting:read meeting:write"


@pytest.fixture
def owner(make_user):
    return make_user(email="owner@example.com")


def test_get_shows_defaults_and_facts(api_client, owner):
    body = api_client(owner, "user:read").get("/v2/users/me/settings").json()
    assert body["schedule_meeting"]["host_video"] is False
    assert body["schedule_meeting"]["require_password_for_scheduling_new_meetings"] is True
    assert body["in_meeting"]["waiting_room"] is False and body["in_meeting"]["e2e_encryption"] is True
    assert body["recording"]["auto_recording"] == "none" and body["recording"]["local_recording"] is False


def test_patch_changes_the_defaults_of_new_meetings(api_client, owner):
    client = api_client(owner, RW)
    response = client.patch("/v2/users/me/settings", {
        "schedule_meeting": {"join_before_host": True, "host_video": True,
                             "require_password_for_scheduling_new_meetings": False},
        "in_meeting": {"waiting_room": True}, "recording": {"auto_recording": "cloud"}}, format="json")
    assert response.status_code == 204
    shown = client.get(f"/v2/users/{owner.public_id}/settings").json()
    assert shown["in_meeting"]["waiting_room"] is True and shown["recording"]["auto_recording"] == "cloud"
    created = client.post("/v2/users/me/meetings", {"type": 1}, format="json").json()
    assert created["password"] == ""
    assert {k: created["settings"][k] for k in ("join_before_host", "host_video", "waiting_room", "auto_recording")} == {
        "join_before_host": True, "host_video": True, "waiting_room": True, "auto_recording": "cloud"}
    # The request's own settings still win.
    explicit = client.post("/v2/users/me/meetings", {"type": 1, "password": "9", "settings": {"waiting_room": False}},
                           format="json").json()
    assert explicit["settings"]["waiting_room"] is False and explicit["password"] == "9"


@pytest.mark.parametrize("body,field", [
    ({"in_meeting": {"breakout_room": True}}, "in_meeting.breakout_room"),
    ({"feature": {"meeting_capacity": 1000}}, "feature.meeting_capacity"),
    ({"in_meeting": {"waiting_room": "yes"}}, "in_meeting.waiting_room"),
    ({"recording": {"auto_recording": "tape"}}, "recording.auto_recording"),
    ({"schedule_meeting": {"pmi_password": "123456"}}, "schedule_meeting.pmi_password"),
    ({"in_meeting": True}, "in_meeting"),
])
def test_what_the_product_does_not_have_is_refused(api_client, owner, body, field):
    response = api_client(owner, RW).patch("/v2/users/me/settings", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == 300
    assert response.json()["message"].startswith(f"{field}: ")


def test_other_users_need_the_admin_scope_and_the_same_account(api_client, owner, make_user):
    member = make_user(email="member@example.com", account=owner.account)
    stranger = make_user(email="stranger@elsewhere.org")
    plain = api_client(owner, "user:read user:write")
    assert plain.get(f"/v2/users/{member.email}/settings").json()["code"] == 4711
    admin = api_client(owner, "user:read:admin user:write:admin")
    assert admin.patch(f"/v2/users/{member.email}/settings", {"in_meeting": {"waiting_room": True}},
                       format="json").status_code == 204
    assert admin.get(f"/v2/users/{member.email}/settings").json()["in_meeting"]["waiting_room"] is True
    assert admin.get(f"/v2/users/{stranger.email}/settings").status_code == 404
    member_client = api_client(member, "user:read:admin")  # a member's admin scope is no admin right
    assert member_client.get(f"/v2/users/{owner.email}/settings").json()["code"] == 4711
