"""PATCH /v2/meetings/{meetingId}/livestream/status really starts and stops the RTMP push."""

import asyncio

import pytest

from mind.models import Streaming
from tests.conftest import wait_until
from tests.mind.media_peer import MindPeer, db
from tests.mind.streaming_helpers import RtmpReceiver, analyse, is_camera, wait_for
from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def same_application_as_media_server(mind_application, settings):
    """The media server of these tests serves the Mind tests' application."""
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN
    return settings


def test_start_and_stop_push_the_meeting_to_the_rtmp_server(api, create_meeting, host, joiner, media_server,
                                                             streamer, same_application_as_media_server, tmp_path):
    receiver = RtmpReceiver(tmp_path).start()
    created = create_meeting(password="")
    mid = created["id"]
    answer = joiner(host).join(mid)
    conference_id = answer["conference"]["id"]
    stream_url, key = receiver.url.rsplit("/", 1)
    stream = {"stream_url": stream_url, "stream_key": key, "page_url": "https://example.com/live"}
    assert api.patch(f"/v2/meetings/{mid}/livestream", stream, format="json").status_code == 204

    async def scenario():
        peer = await MindPeer.join(media_server.session_url(conference_id, answer["participant_token"]))
        try:
            assert (await peer.publish())["type"] == "answer"
            started = await db(
                lambda: api.patch(f"/v2/meetings/{mid}/livestream/status", {"action": "start"}, format="json"))
            assert started.status_code == 204
            # The host's camera goes out to the RTMP server.
            await wait_for(lambda: len([f for f in analyse(receiver.path).frames if is_camera(f)]) > 30, 60,
                           "the host on air")
            await db(check_on_air_then_stop)  # while the host is in: their leaving would end the meeting
        finally:
            await peer.leave()

    def check_on_air_then_stop():
        assert Streaming.objects.get(conference_id=conference_id).alive
        assert api.get(f"/v2/meetings/{mid}/livestream").json() == {**stream, "resolution": ""}
        stopped = api.patch(f"/v2/meetings/{mid}/livestream/status", {"action": "stop"}, format="json")
        assert stopped.status_code == 204
        wait_until(lambda: not receiver.running, timeout=30, message="the RTMP server to see the end")
        assert not Streaming.objects.filter(conference_id=conference_id).exists()

    try:
        asyncio.run(scenario())
    finally:
        receiver.stop()
