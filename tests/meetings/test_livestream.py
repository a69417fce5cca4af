"""GET/PATCH /v2/meetings/{meetingId}/livestream and PATCH .../livestream/status"""

import pytest

pytestmark = pytest.mark.django_db

STREAM = {"stream_url": "rtmp://live.example.com/app", "stream_key": "abcd-1234",
          "page_url": "https://example.com/live", "resolution": "1080p"}


def test_configure_and_read_the_livestream(api, create_meeting):
    created = create_meeting()
    empty = api.get(f"/v2/meetings/{created['id']}/livestream").json()
    assert empty == {"stream_url": "", "stream_key": "", "page_url": "", "resolution": ""}
    response = api.patch(f"/v2/meetings/{created['id']}/livestream", STREAM, format="json")
    assert response.status_code == 204 and response.content == b""
    assert api.get(f"/v2/meetings/{created['id']}/livestream").json() == STREAM


@pytest.mark.parametrize("change, field", [
    ({"stream_url": "http://not-rtmp"}, "stream_url"), ({"page_url": "ftp://x"}, "page_url"),
    ({"stream_key": "k" * 513}, "stream_key"), ({"stream_url": "rtmp://x/" + "a" * 1024}, "stream_url"),
    ({"resolution": "4k"}, "resolution"), ({"stream_key": None}, "stream_key"),
])
def test_invalid_livestream_settings_are_300(api, create_meeting, change, field):
    created = create_meeting()
    response = api.patch(f"/v2/meetings/{created['id']}/livestream", {**STREAM, **change}, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith(field)


def test_all_three_urls_are_required(api, create_meeting):
    created = create_meeting()
    response = api.patch(f"/v2/meetings/{created['id']}/livestream", {"stream_url": STREAM["stream_url"]}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 300


def test_starting_needs_a_live_meeting(api, create_meeting):
    created = create_meeting()
    api.patch(f"/v2/meetings/{created['id']}/livestream", STREAM, format="json")
    response = api.patch(f"/v2/meetings/{created['id']}/livestream/status", {"action": "start"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 3000


def test_starting_needs_a_configured_stream(api, create_meeting, host, joiner):
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    response = api.patch(f"/v2/meetings/{created['id']}/livestream/status", {"action": "start"}, format="json")
    assert response.status_code == 400 and "stream_url" in response.json()["message"]


def test_stopping_when_not_streaming_is_an_error(api, create_meeting, host, joiner):
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    response = api.patch(f"/v2/meetings/{created['id']}/livestream/status", {"action": "stop"}, format="json")
    assert response.status_code == 400 and "not being streamed" in response.json()["message"]


@pytest.mark.parametrize("body, field", [
    ({"action": "mode"}, "action"), ({}, "action"),
    ({"action": "start", "settings": {"display_name": ""}}, "settings.display_name"),
    ({"action": "start", "settings": {"active_speaker_name": "yes"}}, "settings.active_speaker_name"),
])
def test_invalid_status_bodies_are_300(api, create_meeting, body, field):
    created = create_meeting()
    response = api.patch(f"/v2/meetings/{created['id']}/livestream/status", body, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith(field)


def test_a_destination_the_media_engine_refuses_is_300(api, create_meeting, host, joiner):
    # The Zoom-side check only wants rtmp(s)://something; the engine also needs a host name.
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    stream = {**STREAM, "stream_url": "rtmp://:1935/app"}
    # The outbound policy already refuses a destination without a host when it is saved.
    response = api.patch(f"/v2/meetings/{created['id']}/livestream", stream, format="json")
    assert response.status_code == 400 and response.json()["code"] == 300
    assert response.json()["message"].startswith("stream_url")


@pytest.mark.parametrize("stream_url", ["http://127.0.0.1/live", "srt://127.0.0.1:9000", "rtmpx://host/app"])
def test_a_non_rtmp_destination_is_refused_before_streaming(api, create_meeting, stream_url):
    created = create_meeting()
    response = api.patch(f"/v2/meetings/{created['id']}/livestream", {**STREAM, "stream_url": stream_url},
                         format="json")
    assert response.status_code == 400 and response.json()["code"] == 300
