"""mind.client contract: participants and their tokens."""

import pytest
from django.test import Client

from mind.client import MindError
from tests.mind.conftest import APPLICATION_ID


def read_with_token(conference_id, token) -> int:
    return Client().get(f"/mind/{APPLICATION_ID}/{conference_id}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_lifecycle(mind_client):
    cid = mind_client.create_conference(layout="presenting_mosaic")["id"]
    created = mind_client.create_participant(cid, name="John Doe", role="moderator", priority=2)
    assert created["token"] and created["layout"] == "presenting_mosaic"
    assert read_with_token(cid, created["token"]) == 200
    without_token = {k: v for k, v in created.items() if k != "token"}
    assert mind_client.get_participant(cid, created["id"]) == without_token
    assert mind_client.list_participants(cid) == [without_token]
    updated = mind_client.update_participant(cid, created["id"], role="attendee", name="John Roe")
    assert (updated["role"], updated["name"]) == ("attendee", "John Roe")
    mind_client.delete_participant(cid, created["id"])
    assert mind_client.list_participants(cid) == []
    assert read_with_token(cid, created["token"]) == 401
    with pytest.raises(MindError) as error:
        mind_client.get_participant(cid, created["id"])
    assert error.value.status == 404


def test_delete_all(mind_client):
    cid = mind_client.create_conference()["id"]
    tokens = [mind_client.create_participant(cid)["token"] for _ in range(3)]
    mind_client.delete_all_participants(cid)
    assert mind_client.list_participants(cid) == []
    assert {read_with_token(cid, token) for token in tokens} == {401}


def test_invalid_role_is_400(mind_client):
    cid = mind_client.create_conference()["id"]
    with pytest.raises(MindError) as error:
        mind_client.create_participant(cid, role="owner")
    assert error.value.status == 400
    with pytest.raises(MindError) as error:
        mind_client.update_participant(cid, mind_client.create_participant(cid)["id"], priority=-1)
    assert error.value.status == 400
