"""What a streaming shows follows the conference: a screen share takes the main stage, every
publisher's audio is mixed in, and the placeholder returns when nobody publishes."""

import asyncio

import pytest

from tests.mind.media_peer import MindPeer, db
from tests.mind.streaming_helpers import (
    RedScreenTrack,
    RtmpReceiver,
    analyse,
    is_black,
    is_camera,
    is_screen,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)


def recent(receiver, after: float, check, count: int):
    """The stream if at least `count` frames after `after` pass `check` (the newest ones do)."""
    got = analyse(receiver.path)
    frames = got.frames_after(after)
    matching = [f for f in frames if check(f)]
    return got if len(matching) >= count and frames and check(frames[-1]) else None


def test_screen_share_takes_the_stage_and_every_publishers_audio_is_mixed(mind, media_server, streamer, tmp_path):
    cid = mind.create_conference(name="presentation")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="presenter")
    receiver = RtmpReceiver(tmp_path).start()

    async def scenario():
        a = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        b = await MindPeer.join(media_server.session_url(cid, bob["token"]))
        try:
            # Alice: camera without a microphone. Bob: microphone only (for now).
            assert (await a.publish(audio=False))["type"] == "answer"
            assert (await b.publish(video=False))["type"] == "answer"
            created = await db(lambda: mind.post(f"{cid}/streamings", {"url": receiver.url}))
            assert created.status_code == 200

            # Alice's camera is on the main stage; the only sound is Bob's, so it was mixed in.
            got = await wait_for(lambda: recent(receiver, 0, is_camera, 30), 45, "Alice's camera")
            camera_at = next(f.time for f in got.frames if is_camera(f))
            assert got.peak_after(camera_at) > 0.1

            # Bob shares his screen: it replaces the camera, without restarting the push.
            assert (await b.publish("secondary", audio=False, video_track=RedScreenTrack()))["type"] == "answer"
            got = await wait_for(lambda: recent(receiver, camera_at, is_screen, 30), 45, "Bob's screen")
            screen_at = next(f.time for f in got.frames_after(camera_at) if is_screen(f))
            assert receiver.running
            assert got.peak_after(screen_at) > 0.1  # Bob still heard

            # He stops sharing: back to Alice's camera.
            assert (await b.request({"type": "unpublish", "media": "secondary"}))["type"] == "unpublished"
            got = await wait_for(lambda: recent(receiver, screen_at, is_camera, 30), 45, "Alice's camera again")
            back_at = next(f.time for f in got.frames_after(screen_at) if is_camera(f))

            # Everyone leaves: black and silence, and the RTMP session stays up.
            await a.leave()
            await b.leave()
            def placeholder_only():
                got = analyse(receiver.path)
                last_second = got.frames_after(got.duration - 1)
                return (got.duration > back_at + 2 and len(last_second) > 10 and all(map(is_black, last_second))
                        and got.peak_after(got.duration - 1) < 0.01)

            await wait_for(placeholder_only, 45, "black and silence")
            assert receiver.running
            # The output is one continuous stream: timestamps only go forward.
            times = [f.time for f in analyse(receiver.path).frames]
            assert times == sorted(times)
        finally:
            for peer in (a, b):
                if peer.close_code is None:
                    await peer.leave()

    try:
        asyncio.run(scenario())
    finally:
        receiver.stop()
