"""DELETE .../participants/<participantId> and DELETE .../participants (application only)."""

from mind.models import Participant


def test_application_deletes_one(mind, conference, people):
    target = people["speaker"]
    assert mind.delete(f"{conference['id']}/participants/{target['id']}").status_code == 200
    assert mind.get(f"{conference['id']}/participants/{target['id']}").status_code == 404
    assert Participant.objects.count() == 3


def test_moderator_cannot_delete(mind, conference, people):
    target = people["speaker"]
    response = mind.delete(f"{conference['id']}/participants/{target['id']}", token=people["moderator"]["token"])
    assert response.status_code == 403
    assert Participant.objects.filter(pk=target["id"]).exists()


def test_delete_twice_is_404(mind, conference, people):
    url = f"{conference['id']}/participants/{people['speaker']['id']}"
    assert mind.delete(url).status_code == 200
    assert mind.delete(url).status_code == 404


def test_application_deletes_all(mind, conference, people):
    other = mind.create_conference()
    survivor = mind.create_participant(other["id"])
    assert mind.delete(f"{conference['id']}/participants").status_code == 200
    assert mind.get(f"{conference['id']}/participants").json() == []
    for person in people.values():
        assert mind.get(conference["id"], token=person["token"]).status_code == 401
    assert mind.get(other["id"], token=survivor["token"]).status_code == 200


def test_moderator_cannot_delete_all(mind, conference, people):
    assert mind.delete(f"{conference['id']}/participants", token=people["moderator"]["token"]).status_code == 403
    assert Participant.objects.count() == 4
