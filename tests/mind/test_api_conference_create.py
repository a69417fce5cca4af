"""POST /mind/<applicationId>: create a conference (application only)."""

import time

from mind.models import Conference
from tests.mind.conftest import APPLICATION_ID


def test_defaults(mind):
    response = mind.post("", {})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "name", "layout", "recording", "endingAt"}
    assert body["name"] == ""
    assert body["layout"] == "mosaic"
    assert body["recording"] == {"started": False}
    # endingAt is in epoch seconds, 24 hours ahead by default
    assert abs(body["endingAt"] - (time.time() + 24 * 3600)) < 600
    conference = Conference.objects.get(pk=body["id"])
    assert str(conference.application_id) == APPLICATION_ID


def test_empty_body_without_content_type(mind):
    response = mind.post("", raw=b"", content_type="")
    assert response.status_code == 200
    assert response.json()["layout"] == "mosaic"


def test_name_and_layout(mind):
    body = mind.create_conference(name="Meeting name", layout="presenting_selector", recordingLayout="selector")
    assert body["name"] == "Meeting name"
    assert body["layout"] == "presenting_selector"
    assert Conference.objects.get(pk=body["id"]).recording_layout == "selector"


def test_every_layout_is_accepted(mind):
    for layout in ("mosaic", "selector", "presenting_mosaic", "presenting_selector"):
        assert mind.create_conference(layout=layout)["layout"] == layout


def test_bad_layout_is_400(mind):
    response = mind.post("", {"layout": "grid"})
    assert response.status_code == 400
    assert "layout" in response.json()["message"]
    assert not Conference.objects.exists()


def test_bad_name_type_is_400(mind):
    assert mind.post("", {"name": 42}).status_code == 400


def test_invalid_json_is_400(mind):
    assert mind.post("", raw=b"{not json").status_code == 400
    assert mind.post("", raw=b"[1, 2]").status_code == 400


def test_non_json_body_is_415(mind):
    response = mind.post("", raw=b"name=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert not Conference.objects.exists()


def test_participant_token_is_403(mind, conference, people):
    response = mind.post("", {"name": "x"}, token=people["moderator"]["token"])
    assert response.status_code == 403
    assert Conference.objects.count() == 1


def test_wrong_method_is_405(mind):
    response = mind.get("")
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_nul_character_is_400_not_500(mind):
    assert mind.post("", {"name": "a\x00b"}).status_code == 400


def test_deeply_nested_json_is_400(mind):
    assert mind.post("", raw=b"[" * 100000 + b"]" * 100000).status_code == 400


def test_long_name_is_400(mind):
    assert mind.post("", {"name": "x" * 501}).status_code == 400
