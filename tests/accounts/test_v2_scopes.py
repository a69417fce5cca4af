"""Scope enforcement on /v2 as Zoom answers it: HTTP 400, code 4711, naming the missing scopes."""

import pytest

pytestmark = pytest.mark.django_db


def test_token_without_the_scope_gets_zoom_4711(make_user, api_client):
    response = api_client(make_user(), "meeting:read").get("/v2/users/me")
    assert response.status_code == 400
    assert response.json() == {"code": 4711,
                               "message": "Invalid access token, does not contain scopes:[user:read, user:read:admin]."}


def test_scope_or_its_admin_variant_is_enough(make_user, api_client):
    owner = make_user()
    assert api_client(owner, "user:read").get("/v2/users/me").status_code == 200
    assert api_client(owner, "user:read:admin").get("/v2/users/me").status_code == 200


def test_another_user_of_the_account_needs_the_admin_scope(make_user, api_client):
    owner = make_user()
    member = make_user(account=owner.account, role="member")
    refused = api_client(owner, "user:read").get(f"/v2/users/{member.public_id}")
    assert refused.status_code == 400 and refused.json()["code"] == 4711
    assert "user:read:admin" in refused.json()["message"]
    allowed = api_client(owner, "user:read:admin").get(f"/v2/users/{member.email}")
    assert allowed.status_code == 200 and allowed.json()["id"] == member.public_id


def test_admin_scope_stops_counting_when_the_user_is_no_longer_admin(make_user, api_client):
    owner = make_user()
    colleague = make_user(account=owner.account, role="admin")
    client = api_client(colleague, "user:read:admin")
    assert client.get(f"/v2/users/{owner.public_id}").status_code == 200
    colleague.role = "member"
    colleague.save()
    assert client.get(f"/v2/users/{owner.public_id}").status_code == 400


def test_get_a_user_answers_zoom_fields(make_user, api_client):
    user = make_user(email="grace@example.com", display_name="Grace Hopper", timezone="Europe/Paris")
    body = api_client(user, "user:read").get("/v2/users/me").json()
    assert body["id"] == user.public_id
    assert body["display_name"] == "Grace Hopper"
    assert body["timezone"] == "Europe/Paris"
    assert body["pmi"] == user.pmi
    assert body["role_name"] == "Owner"
    assert body["account_id"] == user.account.public_id
