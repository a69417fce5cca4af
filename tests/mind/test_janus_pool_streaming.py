"""With a pool of Janus servers, a streaming forwards from whichever server holds the room: from
the second server first, then, once that one dies and the room moves, from the first, with the same
ffmpeg all along. The forwarders reach the streamer on a non-loopback address of the namespace
(MIND_RTP_FORWARD_HOST), as they would on a private network."""

import asyncio
import subprocess
import sys

import pytest

from mind.models import Conference
from tests.conftest import ROOT, process_env
from tests.mind.conftest import janus_servers_setting
from tests.mind.media_peer import MindPeer, db, stop_process
from tests.mind.streaming_helpers import (
    STREAM_FPS,
    STREAM_SIZE,
    RtmpReceiver,
    analyse,
    ffmpeg_pids,
    is_black,
    is_camera,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

FORWARD_HOST = "10.99.0.1"  # bin/dev test's veth address (docs/testing.md)


@pytest.fixture(scope="module")
def pool_streamer(django_db_setup, pool, tmp_path_factory):
    """The streamer process with both servers, receiving forwarders on FORWARD_HOST."""
    folder = tmp_path_factory.mktemp("streamer-pool")
    env = process_env(JANUS_SERVERS=janus_servers_setting(pool), MIND_RTP_FORWARD_HOST=FORWARD_HOST,
                      MIND_STREAMING_SIZE="x".join(map(str, STREAM_SIZE)), MIND_STREAMING_FPS=str(STREAM_FPS),
                      MIND_STREAMING_VIDEO_KBPS="800", MIND_STREAMING_PRESET="ultrafast",
                      MIND_STREAMING_DIR=str(folder / "work"))
    with open(folder / "streamer.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "manage.py", "mind_streamer"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        stop_process(proc)


def test_a_push_follows_its_room_to_another_server(mind, pool_server, pool_streamer, pooled, second_janus, tmp_path):
    cid = mind.create_conference(name="pool streaming")["id"]
    Conference.objects.filter(pk=cid).update(janus_server="second")
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    receiver = RtmpReceiver(tmp_path).start()

    async def scenario():
        peer = await MindPeer.join(pool_server.session_url(cid, alice["token"]))
        try:
            assert (await peer.publish())["type"] == "answer"
            sid = (await db(lambda: mind.post(f"{cid}/streamings", {"url": receiver.url}))).json()["id"]
            await wait_for(lambda: len([f for f in analyse(receiver.path).frames if is_camera(f)]) > 30, 45,
                           "Alice on air from the second server")
            [pid] = ffmpeg_pids(sid)
            mark = len(peer.messages)
            killed_at = analyse(receiver.path).duration
            await asyncio.to_thread(second_janus.kill)

            await peer.wait_for(lambda m: m.get("type") == "republish", start=mark, timeout=45)
            assert await db(lambda: Conference.objects.get(pk=cid).janus_server) == "first"
            assert (await peer.publish())["type"] == "answer"

            def camera_again():
                frames = analyse(receiver.path).frames_after(killed_at)
                outage = next((n for n, f in enumerate(frames) if is_black(f)), None)
                return outage is not None and len([f for f in frames[outage:] if is_camera(f)]) > 30

            await wait_for(camera_again, 60, "Alice on air again from the first server")
            assert receiver.running and ffmpeg_pids(sid) == [pid]
        finally:
            await peer.leave()

    try:
        asyncio.run(scenario())
    finally:
        receiver.stop()
        if not second_janus.answers():
            second_janus.start()
