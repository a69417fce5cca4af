"""POST .../recording/start|stop and the states of GET .../recording and .../recording/preview.

(The composed files themselves are tested end to end in test_api_recording_media.py.)"""

import pytest

from mind.models import Conference, RecordingMediaState


def started(mind, conference) -> bool:
    return mind.get(conference["id"]).json()["recording"]["started"]


def test_start_and_stop(mind, conference):
    assert mind.post(f"{conference['id']}/recording/start").status_code == 200
    assert started(mind, conference) is True
    assert mind.post(f"{conference['id']}/recording/start").status_code == 200  # already started: no change
    assert len(Conference.objects.get(pk=conference["id"]).recording_segments) == 1
    assert mind.post(f"{conference['id']}/recording/stop").status_code == 200
    assert started(mind, conference) is False
    assert mind.post(f"{conference['id']}/recording/stop").status_code == 200
    row = Conference.objects.get(pk=conference["id"])
    assert len(row.recording_segments) == 1 and row.recording_segments[0]["stoppedAt"] >= row.recording_segments[0]["startedAt"]
    # resume: a second segment
    mind.post(f"{conference['id']}/recording/start")
    assert len(Conference.objects.get(pk=conference["id"]).recording_segments) == 2


def test_moderator_may_start_and_stop(mind, conference, people):
    token = people["moderator"]["token"]
    assert mind.post(f"{conference['id']}/recording/start", token=token).status_code == 200
    assert mind.post(f"{conference['id']}/recording/stop", token=token).status_code == 200


@pytest.mark.parametrize("role", ["presenter", "speaker", "attendee"])
def test_other_roles_are_403(mind, conference, people, role):
    token = people[role]["token"]
    assert mind.post(f"{conference['id']}/recording/start", token=token).status_code == 403
    assert started(mind, conference) is False
    mind.post(f"{conference['id']}/recording/start")
    assert mind.post(f"{conference['id']}/recording/stop", token=token).status_code == 403
    assert started(mind, conference) is True
    mind.post(f"{conference['id']}/recording/stop")
    assert mind.get(f"{conference['id']}/recording", token=token).status_code == 403
    assert mind.get(f"{conference['id']}/recording/preview", token=token).status_code == 403


def test_never_recorded_is_404(mind, conference):
    assert mind.get(f"{conference['id']}/recording").status_code == 404
    assert mind.get(f"{conference['id']}/recording/preview").status_code == 404


def test_while_recording_is_409(mind, conference):
    mind.post(f"{conference['id']}/recording/start")
    assert mind.get(f"{conference['id']}/recording").status_code == 409
    assert mind.get(f"{conference['id']}/recording/preview").status_code == 409


def test_while_composing_is_503_with_retry_after(mind, conference, people):
    mind.post(f"{conference['id']}/recording/start")
    mind.post(f"{conference['id']}/recording/stop")
    for path in ("recording", "recording/preview"):
        response = mind.get(f"{conference['id']}/{path}", token=people["moderator"]["token"])
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0


def test_failed_composition_is_404(mind, conference):
    mind.post(f"{conference['id']}/recording/start")
    mind.post(f"{conference['id']}/recording/stop")
    Conference.objects.filter(pk=conference["id"]).update(recording_media_state=RecordingMediaState.FAILED)
    assert mind.get(f"{conference['id']}/recording").status_code == 404


def test_unacceptable_type_is_406(mind, conference):
    mind.post(f"{conference['id']}/recording/start")
    mind.post(f"{conference['id']}/recording/stop")
    assert mind.get(f"{conference['id']}/recording", HTTP_ACCEPT="text/html").status_code == 406
