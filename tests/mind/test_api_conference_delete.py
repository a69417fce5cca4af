"""DELETE /mind/<applicationId>/<conferenceId>: the application only; everything goes with it."""

from mind.models import Conference, Participant, Streaming


def test_application_deletes(mind, conference, people):
    mind.post(f"{conference['id']}/streamings", {"url": "rtmp://127.0.0.1/live/key"})
    response = mind.delete(conference["id"])
    assert response.status_code == 200
    assert mind.get(conference["id"]).status_code == 404
    assert not Conference.objects.exists()
    assert not Participant.objects.exists()
    assert not Streaming.objects.exists()


def test_moderator_is_403(mind, conference, people):
    assert mind.delete(conference["id"], token=people["moderator"]["token"]).status_code == 403
    assert mind.get(conference["id"]).status_code == 200


def test_twice_is_404(mind, conference):
    assert mind.delete(conference["id"]).status_code == 200
    assert mind.delete(conference["id"]).status_code == 404
