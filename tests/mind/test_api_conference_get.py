"""GET /mind/<applicationId>/<conferenceId>[?detailed=true]."""

from tests.mind.conftest import random_id


def test_plain(mind, conference, people):
    body = mind.get(conference["id"]).json()
    assert body == conference
    assert "participants" not in body and "streamings" not in body and "transcription" not in body


def test_detailed_for_the_application(mind, conference, people):
    streaming = mind.post(f"{conference['id']}/streamings", {"url": "rtmp://127.0.0.1/live/key"}).json()
    body = mind.get(conference["id"], query="detailed=true").json()
    assert body["transcription"] == {"started": False}
    assert {p["id"] for p in body["participants"]} == {p["id"] for p in people.values()}
    assert all("token" not in p for p in body["participants"])
    assert body["streamings"] == [streaming]


def test_detailed_for_a_participant_has_no_streamings_and_puts_it_first(mind, conference, people):
    mind.post(f"{conference['id']}/streamings", {"url": "rtmp://127.0.0.1/live/key"})
    me = people["attendee"]
    body = mind.get(conference["id"], query="detailed=true", token=me["token"]).json()
    assert "streamings" not in body
    assert body["participants"][0]["id"] == me["id"]
    assert body["transcription"] == {"started": False}


def test_detailed_false_is_plain(mind, conference):
    assert "participants" not in mind.get(conference["id"], query="detailed=false").json()


def test_bad_detailed_is_400(mind, conference):
    assert mind.get(conference["id"], query="detailed=maybe").status_code == 400


def test_unknown_conference_is_404(mind):
    assert mind.get(random_id()).status_code == 404


def test_not_a_uuid_is_404(mind):
    assert mind.get("not-a-uuid").status_code == 404
