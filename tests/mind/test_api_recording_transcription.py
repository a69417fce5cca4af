"""GET .../recording/transcription: 409 never recorded; 206 partial while recording or while the
stopped recording's transcript is completed (with Retry-After); 503 + Retry-After when nothing is
ready after a stop; 200 with the full transcript once complete."""

import pytest

from mind import services
from mind.models import Conference


def url(conference):
    return f"{conference['id']}/recording/transcription"


def add(conference, participant, timestamp, text):
    services.add_utterances(Conference.objects.get(pk=conference["id"]),
                            [{"participantId": participant["id"], "timestamp": timestamp, "text": text}])


def test_never_recorded_is_409(mind, conference):
    assert mind.get(url(conference)).status_code == 409


def test_lifecycle_with_transcription(mind, conference, people):
    speaker = people["speaker"]
    mind.patch(f"{conference['id']}/transcription", {"started": True})
    mind.post(f"{conference['id']}/recording/start")
    response = mind.get(url(conference))
    assert response.status_code == 206 and response.json() == []

    add(conference, speaker, 0, "Hi, all!")
    response = mind.get(url(conference))
    assert response.status_code == 206
    assert response.json() == [{"timestamp": 0, "participantId": speaker["id"], "text": "Hi, all!"}]

    mind.post(f"{conference['id']}/recording/stop")
    response = mind.get(url(conference))
    assert response.status_code == 206 and int(response["Retry-After"]) > 0  # just stopped: still partial

    add(conference, speaker, 1500, "Let us start.")
    services.complete_transcription(Conference.objects.get(pk=conference["id"]))
    response = mind.get(url(conference))
    assert response.status_code == 200
    assert [u["text"] for u in response.json()] == ["Hi, all!", "Let us start."]


def test_stopped_and_nothing_ready_is_503(mind, conference):
    mind.patch(f"{conference['id']}/transcription", {"started": True})
    mind.post(f"{conference['id']}/recording/start")
    mind.post(f"{conference['id']}/recording/stop")
    response = mind.get(url(conference))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


def test_without_transcription_a_stopped_recording_is_complete(mind, conference):
    mind.post(f"{conference['id']}/recording/start")
    mind.post(f"{conference['id']}/recording/stop")
    response = mind.get(url(conference))
    assert response.status_code == 200 and response.json() == []


def test_utterances_are_ordered_by_time(mind, conference, people):
    mind.post(f"{conference['id']}/recording/start")
    add(conference, people["speaker"], 900, "second")
    add(conference, people["moderator"], 100, "first")
    assert [u["text"] for u in mind.get(url(conference)).json()] == ["first", "second"]


def test_moderator_reads(mind, conference, people):
    mind.post(f"{conference['id']}/recording/start")
    assert mind.get(url(conference), token=people["moderator"]["token"]).status_code == 206


@pytest.mark.parametrize("role", ["presenter", "speaker", "attendee"])
def test_other_roles_are_403(mind, conference, people, role):
    mind.post(f"{conference['id']}/recording/start")
    assert mind.get(url(conference), token=people[role]["token"]).status_code == 403
