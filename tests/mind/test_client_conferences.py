"""mind.client contract: conferences (EmbeddedMind and HttpMind give the same answers)."""

import pytest

from mind.client import EmbeddedMind, HttpMind, MindError, get_mind
from tests.mind.conftest import random_id


def test_create_get_update_delete(mind_client):
    created = mind_client.create_conference(name="Board", layout="selector")
    assert set(created) == {"id", "name", "layout", "recording", "endingAt"}
    assert (created["name"], created["layout"], created["recording"]) == ("Board", "selector", {"started": False})
    assert mind_client.get_conference(created["id"]) == created
    updated = mind_client.update_conference(created["id"], name="Board (moved)")
    assert updated == {**created, "name": "Board (moved)"}
    mind_client.delete_conference(created["id"])
    with pytest.raises(MindError) as error:
        mind_client.get_conference(created["id"])
    assert error.value.status == 404


def test_defaults(mind_client):
    created = mind_client.create_conference()
    assert (created["name"], created["layout"]) == ("", "mosaic")


def test_detailed(mind_client):
    conference = mind_client.create_conference()
    participant = mind_client.create_participant(conference["id"], name="Ann")
    streaming = mind_client.create_streaming(conference["id"], url="rtmp://127.0.0.1/live/x")
    detailed = mind_client.get_conference(conference["id"], detailed=True)
    assert detailed["transcription"] == {"started": False}
    assert [p["id"] for p in detailed["participants"]] == [participant["id"]]
    assert detailed["streamings"] == [streaming]


def test_invalid_layout_is_400(mind_client):
    with pytest.raises(MindError) as error:
        mind_client.create_conference(layout="grid")
    assert error.value.status == 400
    assert "layout" in error.value.message


def test_unknown_conference_is_404_everywhere(mind_client):
    unknown = random_id()
    for call in (lambda: mind_client.get_conference(unknown), lambda: mind_client.update_conference(unknown, name="x"),
                 lambda: mind_client.delete_conference(unknown), lambda: mind_client.list_participants(unknown),
                 lambda: mind_client.start_recording(unknown), lambda: mind_client.list_streamings(unknown)):
        with pytest.raises(MindError) as error:
            call()
        assert error.value.status == 404


def test_get_mind_chooses_by_settings(mind_application):
    assert isinstance(get_mind(), EmbeddedMind)
    mind_application.MIND_API_URL = "http://127.0.0.1:9/mind"
    assert isinstance(get_mind(), HttpMind)


def test_http_mind_unreachable_is_503(mind_application):
    from tests.conftest import free_port
    from tests.mind.conftest import APPLICATION_ID, APPLICATION_TOKEN

    client = HttpMind(base_url=f"http://127.0.0.1:{free_port()}/mind", application_id=APPLICATION_ID,
                      application_token=APPLICATION_TOKEN)
    with pytest.raises(MindError) as error:
        client.create_conference()
    assert error.value.status == 503


def test_http_mind_wrong_token_is_401(mind_server, transactional_db):
    from tests.mind.conftest import APPLICATION_ID

    client = HttpMind(base_url=mind_server, application_id=APPLICATION_ID, application_token="wrong")
    with pytest.raises(MindError) as error:
        client.create_conference()
    assert error.value.status == 401
