"""Mind streamings refuse internal destinations at the API (400), and the streamer checks again
right before it connects (a name may resolve elsewhere by then): a refused push is not retried."""

import pytest

from mind.models import Streaming
from tests.support.outbound import INTERNAL


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_streaming_urls_are_refused(mind, conference, settings, url):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    response = mind.post(f"{conference['id']}/streamings", {"url": url})
    assert response.status_code == 400
    assert "does not connect there" in response.json()["message"] or "service ports" in response.json()["message"]
    assert not Streaming.objects.exists()


def test_too_many_streamings_at_once_are_refused(mind, conference, settings):
    settings.MIND_STREAMINGS_MAX = 2
    for n in range(2):
        assert mind.post(f"{conference['id']}/streamings", {"url": f"rtmp://8.8.8.8/live/{n}"}).status_code == 200
    full = mind.post(f"{conference['id']}/streamings", {"url": "rtmp://8.8.8.8/live/3"})
    assert full.status_code == 429 and "streamings" in full.json()["message"]
