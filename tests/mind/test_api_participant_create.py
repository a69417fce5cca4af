"""POST /mind/<applicationId>/<conferenceId>/participants (application only)."""

import pytest

from mind.models import Participant
from tests.mind.conftest import random_id


def test_defaults(mind):
    conference = mind.create_conference(layout="selector")
    response = mind.post(f"{conference['id']}/participants", {})
    assert response.status_code == 200
    body = response.json()
    assert body["token"]
    assert body["online"] is False
    assert body["name"] == ""
    assert body["role"] == "speaker"
    assert body["layout"] == "selector"  # the conference's layout
    assert body["media"] == {"audio": False, "video": False}
    assert body["secondaryMedia"] == {"audio": False, "video": False}
    assert isinstance(body["priority"], (int, float))


def test_fields(mind, conference):
    body = mind.create_participant(conference["id"], name="John Doe", priority=2.5, role="moderator", layout="mosaic")
    assert (body["name"], body["priority"], body["role"], body["layout"]) == ("John Doe", 2.5, "moderator", "mosaic")
    assert mind.get(f"{conference['id']}/participants/{body['id']}").json()["role"] == "moderator"


def test_tokens_are_unique(mind, conference):
    tokens = {mind.create_participant(conference["id"])["token"] for _ in range(3)}
    assert len(tokens) == 3


@pytest.mark.parametrize("body", [
    {"role": "owner"}, {"priority": -1}, {"priority": "high"}, {"priority": True}, {"layout": "grid"}, {"name": 1},
])
def test_invalid_fields_are_400(mind, conference, body):
    assert mind.post(f"{conference['id']}/participants", body).status_code == 400
    assert not Participant.objects.exists()


def test_participant_token_is_403(mind, conference, people):
    response = mind.post(f"{conference['id']}/participants", {"name": "x"}, token=people["moderator"]["token"])
    assert response.status_code == 403


def test_unknown_conference_is_404(mind):
    assert mind.post(f"{random_id()}/participants", {}).status_code == 404


def test_non_json_is_415(mind, conference):
    assert mind.post(f"{conference['id']}/participants", raw=b"<x/>", content_type="application/xml").status_code == 415
