"""GET/PATCH .../transcription: anyone in the conference reads, only the application changes."""


def test_default_and_toggle(mind, conference):
    assert mind.get(f"{conference['id']}/transcription").json() == {"started": False}
    response = mind.patch(f"{conference['id']}/transcription", {"started": True})
    assert response.status_code == 200
    assert response.json() == {"started": True}
    assert mind.get(f"{conference['id']}/transcription").json() == {"started": True}
    assert mind.get(conference["id"], query="detailed=true").json()["transcription"] == {"started": True}


def test_any_participant_reads(mind, conference, people):
    assert mind.get(f"{conference['id']}/transcription", token=people["attendee"]["token"]).json() == {"started": False}


def test_moderator_cannot_change(mind, conference, people):
    response = mind.patch(f"{conference['id']}/transcription", {"started": True}, token=people["moderator"]["token"])
    assert response.status_code == 403
    assert mind.get(f"{conference['id']}/transcription").json() == {"started": False}


def test_null_changes_nothing(mind, conference):
    assert mind.patch(f"{conference['id']}/transcription", {"started": None}).json() == {"started": False}


def test_not_boolean_is_400(mind, conference):
    assert mind.patch(f"{conference['id']}/transcription", {"started": "yes"}).status_code == 400


def test_non_json_is_415(mind, conference):
    assert mind.patch(f"{conference['id']}/transcription", raw=b"1", content_type="text/plain").status_code == 415
