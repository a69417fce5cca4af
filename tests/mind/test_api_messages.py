"""POST .../messages: to a participant, to the application, or to the conference (everyone)."""

import time

import pytest

from mind.models import Message
from tests.mind.conftest import APPLICATION_ID, random_id


def test_application_to_participant(mind, conference, people):
    target = people["speaker"]
    before = int(time.time() * 1000)
    response = mind.post(f"{conference['id']}/messages", {"sendTo": target["id"], "text": "Hello"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "sentTo", "sentBy", "sentAt", "text"}
    assert body["sentTo"] == target["id"]
    assert body["sentBy"] == APPLICATION_ID
    assert body["text"] == "Hello"
    assert before - 1000 <= body["sentAt"] <= int(time.time() * 1000) + 1000  # epoch milliseconds


@pytest.mark.parametrize("role", ["moderator", "attendee"])
def test_participant_to_application_and_conference(mind, conference, people, role):
    me = people[role]
    to_app = mind.post(f"{conference['id']}/messages", {"sendTo": APPLICATION_ID, "text": "hi app"}, token=me["token"])
    assert to_app.status_code == 200
    assert to_app.json()["sentBy"] == me["id"]
    to_all = mind.post(f"{conference['id']}/messages", {"sendTo": conference["id"], "text": "hi all"}, token=me["token"])
    assert to_all.status_code == 200
    assert to_all.json()["sentTo"] == conference["id"]


def test_persistent_messages_are_kept(mind, conference, people):
    mind.post(f"{conference['id']}/messages", {"sendTo": conference["id"], "text": "kept", "persistent": True})
    mind.post(f"{conference['id']}/messages", {"sendTo": conference["id"], "text": "not kept"})
    assert list(Message.objects.values_list("text", flat=True)) == ["kept"]


@pytest.mark.parametrize("body", [
    {"text": "no addressee"},
    {"sendTo": "not-a-uuid", "text": "x"},
    {"sendTo": None, "text": "x"},
    {"sendTo": "CONFERENCE"},
    {"sendTo": "CONFERENCE", "text": 5},
    {"sendTo": "CONFERENCE", "text": "x", "persistent": "yes"},
])
def test_invalid_is_400(mind, conference, body):
    body = {k: (conference["id"] if v == "CONFERENCE" else v) for k, v in body.items()}
    assert mind.post(f"{conference['id']}/messages", body).status_code == 400


def test_unknown_addressee_is_400(mind, conference):
    response = mind.post(f"{conference['id']}/messages", {"sendTo": random_id(), "text": "x"})
    assert response.status_code == 400


def test_participant_of_another_conference_is_not_an_addressee(mind, conference):
    other = mind.create_participant(mind.create_conference()["id"])
    assert mind.post(f"{conference['id']}/messages", {"sendTo": other["id"], "text": "x"}).status_code == 400


def test_non_json_is_415(mind, conference):
    assert mind.post(f"{conference['id']}/messages", raw=b"text=x", content_type="text/plain").status_code == 415


def test_no_token_is_401(mind, conference):
    assert mind.post(f"{conference['id']}/messages", {"sendTo": conference["id"], "text": "x"}, token=None).status_code == 401


def test_nul_in_text_is_400(mind, conference):
    body = {"sendTo": conference["id"], "text": "a\x00", "persistent": True}
    assert mind.post(f"{conference['id']}/messages", body).status_code == 400
