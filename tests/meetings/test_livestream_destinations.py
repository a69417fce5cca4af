"""PATCH /v2/meetings/{id}/livestream refuses internal destinations (SSRF) with Zoom's 400/300."""

import pytest

from tests.support.outbound import INTERNAL

pytestmark = pytest.mark.django_db

STREAM = {"stream_key": "abcd-1234", "page_url": "https://example.com/live"}


@pytest.mark.parametrize("stream_url", INTERNAL)
def test_internal_livestream_urls_are_refused(api, create_meeting, settings, stream_url):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    created = create_meeting()
    response = api.patch(f"/v2/meetings/{created['id']}/livestream", {**STREAM, "stream_url": stream_url},
                         format="json")
    assert response.status_code == 400 and response.json()["code"] == 300
    assert response.json()["message"].startswith("stream_url:")
    assert "the server does not connect there" in response.json()["message"] or \
        "service ports" in response.json()["message"]
    assert api.get(f"/v2/meetings/{created['id']}/livestream").json()["stream_url"] == ""


def test_a_public_destination_is_accepted(api, create_meeting, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    created = create_meeting()
    response = api.patch(f"/v2/meetings/{created['id']}/livestream",
                         {**STREAM, "stream_url": "rtmp://8.8.8.8/live"}, format="json")
    assert response.status_code == 204


def test_an_account_streams_at_most_its_cap_at_once(api, create_meeting, host, joiner, settings):
    settings.LIVESTREAMS_PER_ACCOUNT = 0
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    api.patch(f"/v2/meetings/{created['id']}/livestream", {**STREAM, "stream_url": "rtmp://8.8.8.8/live"},
              format="json")
    response = api.patch(f"/v2/meetings/{created['id']}/livestream/status", {"action": "start"}, format="json")
    assert response.status_code == 429 and response.json()["code"] == 429
    assert "at once" in response.json()["message"]
