"""Tokens: application vs participant, header vs access_token, and when a participant token dies."""

from datetime import timedelta

from django.utils import timezone

from mind.models import Conference, Participant
from tests.mind.conftest import random_id


def test_no_token_is_401(mind, conference):
    response = mind.get(conference["id"], token=None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_401(mind, conference):
    assert mind.get(conference["id"], token="not-a-token").status_code == 401


def test_non_bearer_scheme_is_401(mind, conference):
    response = mind.get(conference["id"], token=None, HTTP_AUTHORIZATION=f"Basic {mind.application_token}")
    assert response.status_code == 401


def test_application_token_for_another_application_id_is_401(mind, conference):
    other = random_id()
    response = mind.client.get(f"/mind/{other}/{conference['id']}", HTTP_AUTHORIZATION=f"Bearer {mind.application_token}")
    assert response.status_code == 401


def test_access_token_query_parameter(mind, conference, people):
    assert mind.get(conference["id"], token=None, query=f"access_token={mind.application_token}").status_code == 200
    token = people["speaker"]["token"]
    assert mind.get(conference["id"], token=None, query=f"access_token={token}").status_code == 200


def test_participant_token_reads_its_conference(mind, conference, people):
    response = mind.get(conference["id"], token=people["attendee"]["token"])
    assert response.status_code == 200
    assert response.json()["id"] == conference["id"]


def test_participant_token_of_another_conference_is_403(mind, conference, people):
    other = mind.create_conference(name="other")
    assert mind.get(other["id"], token=people["moderator"]["token"]).status_code == 403
    assert mind.get(f"{other['id']}/participants", token=people["moderator"]["token"]).status_code == 403


def test_token_is_stored_hashed(mind, conference):
    created = mind.create_participant(conference["id"], name="Ann")
    participant = Participant.objects.get(pk=created["id"])
    assert created["token"] not in participant.token_hash
    assert len(created["token"]) >= 64
    values = Participant.objects.filter(pk=created["id"]).values().get()
    assert created["token"] not in [str(v) for v in values.values()]


def test_token_dies_when_participant_is_deleted(mind, conference):
    created = mind.create_participant(conference["id"], name="Ann")
    assert mind.get(conference["id"], token=created["token"]).status_code == 200
    assert mind.delete(f"{conference['id']}/participants/{created['id']}").status_code == 200
    assert mind.get(conference["id"], token=created["token"]).status_code == 401


def test_token_dies_when_conference_is_deleted(mind, conference, people):
    token = people["moderator"]["token"]
    assert mind.delete(conference["id"]).status_code == 200
    assert mind.get(conference["id"], token=token).status_code == 401


def test_token_dies_when_conference_ends(mind, conference, people):
    token = people["moderator"]["token"]
    Conference.objects.filter(pk=conference["id"]).update(ending_at=timezone.now() - timedelta(seconds=1))
    assert mind.get(conference["id"], token=token).status_code == 401
    assert mind.get(conference["id"]).status_code == 404


def test_unset_application_token_lets_nobody_in(mind, conference, settings):
    settings.MIND_APPLICATION_TOKEN = None
    assert mind.get(conference["id"], token="").status_code == 401
    assert mind.get(conference["id"], token="None").status_code == 401
