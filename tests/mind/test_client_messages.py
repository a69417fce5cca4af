"""mind.client contract: messages."""

import pytest

from mind.client import MindError
from tests.mind.conftest import APPLICATION_ID, random_id


def test_send_to_participant_and_conference(mind_client):
    cid = mind_client.create_conference()["id"]
    participant = mind_client.create_participant(cid)
    message = mind_client.send_message(cid, "hello", participant["id"])
    assert (message["sentTo"], message["sentBy"], message["text"]) == (participant["id"], APPLICATION_ID, "hello")
    assert isinstance(message["sentAt"], int)
    everyone = mind_client.send_message(cid, "all", cid, persistent=True)
    assert everyone["sentTo"] == cid


def test_unknown_addressee_is_400(mind_client):
    cid = mind_client.create_conference()["id"]
    with pytest.raises(MindError) as error:
        mind_client.send_message(cid, "x", random_id())
    assert error.value.status == 400
