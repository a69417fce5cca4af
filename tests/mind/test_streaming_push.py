"""A streaming created through the Mind API is pushed over RTMP: placeholder, then the publisher.

Real Janus, real ffmpeg, a real aiortc publisher; a local ffmpeg RTMP server plays YouTube.
"""

import asyncio

import pytest

from mind.models import Streaming
from tests.conftest import wait_until
from tests.mind.media_peer import MindPeer, db
from tests.mind.streaming_helpers import (
    STREAM_SIZE,
    RtmpReceiver,
    analyse,
    is_black,
    is_camera,
    streamer_log,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)


def alive(streaming_id) -> bool | None:
    row = Streaming.objects.filter(pk=streaming_id).values_list("alive", flat=True).first()
    return row


def test_push_shows_a_placeholder_then_the_publisher_and_ends_on_delete(mind, media_server, streamer, tmp_path):
    cid = mind.create_conference(name="streamed")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    receiver = RtmpReceiver(tmp_path).start()

    async def scenario():
        created = await db(lambda: mind.post(f"{cid}/streamings", {"url": receiver.url}))
        assert created.status_code == 200, created.content
        sid = created.json()["id"]
        try:
            await wait_for(lambda: alive(sid), 30, "the streaming to be alive")
        except AssertionError:
            raise AssertionError(streamer_log(streamer)) from None
        # Nobody publishes yet: a black picture and silence keep the RTMP session up.
        got = await wait_for(lambda: (r := analyse(receiver.path)).duration > 2 and r, 30, "placeholder frames")
        assert got.video_codec == "h264" and got.audio_codec == "aac"
        assert {(f.width, f.height) for f in got.frames} == {STREAM_SIZE}
        assert all(is_black(f) for f in got.frames), got.frames[:3]
        assert got.peak_after(0) < 0.01
        placeholder_until = got.duration

        peer = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            assert (await peer.publish())["type"] == "answer"
            # Alice's camera (grey with a moving white bar) and her 440 Hz tone go out.
            got = await wait_for(lambda: len([f for f in analyse(receiver.path).frames_after(placeholder_until)
                                              if is_camera(f)]) >= 30 and analyse(receiver.path),
                                 45, "the publisher's frames in the stream")
            camera = [f for f in got.frames_after(placeholder_until) if is_camera(f)]
            assert len({f.bar for f in camera}) > 5  # the bar moves: live frames, not a still
            assert got.peak_after(placeholder_until) > 0.1
            keyframes = [f.time for f in got.frames if f.key]
            gaps = [b - a for a, b in zip(keyframes, keyframes[1:], strict=False)]
            assert gaps and all(abs(gap - 2.0) < 0.1 for gap in gaps), gaps
        finally:
            await peer.leave()

        deleted = await db(lambda: mind.delete(f"{cid}/streamings/{sid}"))
        assert deleted.status_code == 200
        # The push ends cleanly: the RTMP server sees the end of the stream and finishes.
        await wait_for(lambda: not receiver.running, 30, "the receiver to see the end of the stream")
        return sid

    try:
        asyncio.run(scenario())
    finally:
        receiver.stop()


def test_deleting_the_conference_ends_every_push(mind, streamer, tmp_path):
    cid = mind.create_conference(name="two destinations")["id"]
    receivers = [RtmpReceiver(tmp_path).start(), RtmpReceiver(tmp_path).start()]
    try:
        ids = [mind.post(f"{cid}/streamings", {"url": r.url}).json()["id"] for r in receivers]
        wait_until(lambda: all(alive(sid) for sid in ids), timeout=45, message="both pushes")
        assert all(s["alive"] for s in mind.get(f"{cid}/streamings").json())
        assert mind.delete(cid).status_code == 200
        wait_until(lambda: not any(r.running for r in receivers), timeout=30, message="both pushes to end")
        for receiver in receivers:
            got = analyse(receiver.path)
            assert got.video_codec == "h264" and got.frames
    finally:
        for receiver in receivers:
            receiver.stop()
