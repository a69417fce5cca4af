"""GET /mind/<applicationId>/<conferenceId>/participants/<participantId>."""

from tests.mind.conftest import random_id


def test_application_and_any_participant_may_read(mind, conference, people):
    target = people["speaker"]
    for token in ["app"] + [p["token"] for p in people.values()]:
        response = mind.get(f"{conference['id']}/participants/{target['id']}", token=token)
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == target["id"] and body["name"] == "Speaker" and "token" not in body


def test_unknown_participant_is_404(mind, conference):
    assert mind.get(f"{conference['id']}/participants/{random_id()}").status_code == 404


def test_participant_of_another_conference_is_404(mind, conference):
    other = mind.create_conference()
    stranger = mind.create_participant(other["id"])
    assert mind.get(f"{conference['id']}/participants/{stranger['id']}").status_code == 404
