"""When the streaming's ffmpeg dies, `alive` goes false; it is restarted and `alive` comes back."""

import pytest

from mind.models import Streaming
from tests.conftest import wait_until
from tests.mind.streaming_helpers import RtmpReceiver, analyse, ffmpeg_pids, kill

pytestmark = pytest.mark.django_db(transaction=True)


def alive(streaming_id) -> bool:
    return Streaming.objects.get(pk=streaming_id).alive


def test_killed_ffmpeg_is_restarted_with_alive_following(mind, streamer, tmp_path):
    cid = mind.create_conference(name="restart me")["id"]
    receiver = RtmpReceiver(tmp_path).start()
    try:
        sid = mind.post(f"{cid}/streamings", {"url": receiver.url}).json()["id"]
        wait_until(lambda: alive(sid), timeout=45, message="the push to start")
        assert mind.get(f"{cid}/streamings/{sid}").json()["alive"] is True
        [pid] = ffmpeg_pids(sid)

        kill(pid)
        wait_until(lambda: not alive(sid), timeout=20, message="alive to turn false")
        assert mind.get(f"{cid}/streamings/{sid}").json()["alive"] is False
        wait_until(lambda: not receiver.running, timeout=20, message="the RTMP server to lose the stream")
        first_file = receiver.path

        # The RTMP server is reachable again: the streamer's next attempt gets through.
        receiver.start()
        wait_until(lambda: alive(sid), timeout=90, message="the push to come back")
        assert ffmpeg_pids(sid) and ffmpeg_pids(sid) != [pid]
        wait_until(lambda: analyse(receiver.path).duration > 2, timeout=30, message="frames on the new connection")
        assert receiver.path != first_file and analyse(first_file).frames

        assert mind.delete(f"{cid}/streamings/{sid}").status_code == 200
        wait_until(lambda: not receiver.running, timeout=30, message="the push to end")
        wait_until(lambda: not ffmpeg_pids(sid), timeout=15, message="ffmpeg to exit")
    finally:
        receiver.stop()
