"""GET /v2/users/{userId}/token?type=zak (and /users/me/zak): a start token the room honours: the
link's `zak=` makes its holder the meeting's host; another user's ZAK, an expired or a revoked one
does not."""

import json
import time

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    return make_user(email="owner@example.com", display_name="Olga Owner")


@pytest.fixture
def meeting(api_client, owner):
    body = api_client(owner, "meeting:write").post("/v2/users/me/meetings", {"type": 1}, format="json").json()
    return body


def join_with(meeting_id, zak):
    response = Client().post(f"/j/{meeting_id}/join", json.dumps({"name": "Someone", "zak": zak}),
                             content_type="application/json")
    return response.json()


def test_a_zak_starts_the_meeting_as_host(api_client, owner, meeting):
    token = api_client(owner, "user:read").get(f"/v2/users/{owner.public_id}/token", {"type": "zak"}).json()["token"]
    page = Client().get(f"/j/{meeting['id']}?zak={token}")
    assert page.status_code == 200 and b'"needsPasscode": false' in page.content
    answer = join_with(meeting["id"], token)
    assert answer["state"] == "admitted" and answer["role"] == "host"


def test_me_zak_is_the_same(api_client, owner, meeting):
    token = api_client(owner, "user:read").get("/v2/users/me/zak").json()["token"]
    assert join_with(meeting["id"], token)["role"] == "host"


def test_another_users_zak_is_no_host(api_client, owner, meeting, make_user):
    other = make_user(email="other@example.com", account=owner.account)
    token = api_client(other, "user:read").get("/v2/users/me/token", {"type": "zak"}).json()["token"]
    assert join_with(meeting["id"], token)["state"] == "passcode_required"


def test_expired_and_revoked_zaks_are_no_host(api_client, owner, meeting):
    client = api_client(owner, "user:read")
    short = client.get("/v2/users/me/token", {"type": "zak", "ttl": "1"}).json()["token"]
    revoked = client.get("/v2/users/me/token", {"type": "zak"}).json()["token"]
    owner.session_epoch += 1  # what ending all of the user's sessions does
    owner.save()
    time.sleep(1.1)
    assert join_with(meeting["id"], short)["state"] == "passcode_required"
    assert join_with(meeting["id"], revoked)["state"] == "passcode_required"
    assert join_with(meeting["id"], "forged")["state"] == "passcode_required"


def test_bad_parameters(api_client, owner, make_user):
    client = api_client(owner, "user:read")
    assert client.get("/v2/users/me/token", {"type": "sso"}).json()["code"] == 300
    assert client.get("/v2/users/me/token", {"ttl": "0"}).json()["code"] == 300
    stranger = make_user(email="stranger@elsewhere.org")
    assert api_client(owner, "user:read:admin").get(f"/v2/users/{stranger.email}/token").status_code == 404
