"""Streamings: list/create/get/delete/delete-all, application only."""

import pytest

from mind.models import Streaming
from tests.mind.conftest import random_id

URL = "rtmps://a.rtmps.youtube.com/live2/abcd-efgh-ijkl-mnop-qrst"


def test_create_get_list_delete(mind, conference):
    base = f"{conference['id']}/streamings"
    created = mind.post(base, {"url": URL})
    assert created.status_code == 200
    streaming = created.json()
    assert set(streaming) == {"id", "url", "alive"}
    assert streaming["url"] == URL and isinstance(streaming["alive"], bool)
    assert mind.get(f"{base}/{streaming['id']}").json() == streaming
    assert mind.get(base).json() == [streaming]
    assert mind.delete(f"{base}/{streaming['id']}").status_code == 200
    assert mind.get(f"{base}/{streaming['id']}").status_code == 404
    assert mind.get(base).json() == []


def test_delete_all(mind, conference):
    base = f"{conference['id']}/streamings"
    for n in range(3):
        mind.post(base, {"url": f"rtmp://127.0.0.1/live/{n}"})
    assert mind.delete(base).status_code == 200
    assert mind.get(base).json() == []
    assert not Streaming.objects.exists()


@pytest.mark.parametrize("body", [{}, {"url": None}, {"url": "http://example.com/x"}, {"url": "rtmp://"}, {"url": 3}])
def test_invalid_url_is_400(mind, conference, body):
    assert mind.post(f"{conference['id']}/streamings", body).status_code == 400
    assert not Streaming.objects.exists()


def test_participants_are_403_even_moderators(mind, conference, people):
    base = f"{conference['id']}/streamings"
    streaming = mind.post(base, {"url": URL}).json()
    token = people["moderator"]["token"]
    assert mind.get(base, token=token).status_code == 403
    assert mind.post(base, {"url": URL}, token=token).status_code == 403
    assert mind.get(f"{base}/{streaming['id']}", token=token).status_code == 403
    assert mind.delete(f"{base}/{streaming['id']}", token=token).status_code == 403
    assert mind.delete(base, token=token).status_code == 403
    assert Streaming.objects.count() == 1


def test_unknown_streaming_is_404(mind, conference):
    assert mind.get(f"{conference['id']}/streamings/{random_id()}").status_code == 404
    assert mind.delete(f"{conference['id']}/streamings/{random_id()}").status_code == 404


def test_streaming_of_another_conference_is_404(mind, conference):
    other = mind.create_conference()
    streaming = mind.post(f"{other['id']}/streamings", {"url": URL}).json()
    assert mind.get(f"{conference['id']}/streamings/{streaming['id']}").status_code == 404


def test_non_json_is_415(mind, conference):
    assert mind.post(f"{conference['id']}/streamings", raw=URL.encode(), content_type="text/plain").status_code == 415
