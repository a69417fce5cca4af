"""A Janus restart does not end the push: the placeholder covers the outage, then the forwarders
are re-established and the publisher is on air again, with the same ffmpeg all along."""

import asyncio

import pytest

from tests.conftest import janus_answers
from tests.mind.media_peer import MindPeer, db
from tests.mind.streaming_helpers import RtmpReceiver, analyse, ffmpeg_pids, is_black, is_camera, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_push_survives_a_janus_restart(mind, media_server, streamer, restart_janus, tmp_path):
    cid = mind.create_conference(name="janus restart")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    receiver = RtmpReceiver(tmp_path).start()

    async def scenario():
        peer = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            assert (await peer.publish())["type"] == "answer"
            sid = (await db(lambda: mind.post(f"{cid}/streamings", {"url": receiver.url}))).json()["id"]
            await wait_for(lambda: len([f for f in analyse(receiver.path).frames if is_camera(f)]) > 30, 45,
                           "Alice on air")
            [pid] = ffmpeg_pids(sid)
            mark = len(peer.messages)
            restarted_at = analyse(receiver.path).duration
            await asyncio.to_thread(restart_janus)

            await peer.wait_for(lambda m: m.get("type") == "republish", start=mark, timeout=45)
            assert (await peer.publish())["type"] == "answer"

            def camera_again():
                frames = analyse(receiver.path).frames_after(restarted_at)
                outage = next((n for n, f in enumerate(frames) if is_black(f)), None)
                return outage is not None and len([f for f in frames[outage:] if is_camera(f)]) > 30

            await wait_for(camera_again, 60, "Alice on air again after the restart")
            assert receiver.running and ffmpeg_pids(sid) == [pid]
        finally:
            await peer.leave()

    try:
        asyncio.run(scenario())
    finally:
        receiver.stop()
    assert janus_answers()
