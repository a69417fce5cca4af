"""`selector` recordings show the active speaker full frame: two aiortc peers publish their own
colour through Janus, only one at a time sends a tone; the composed MP4 is the speaker's colour
edge to edge, and switches to the other person once they speak."""

import asyncio
import time

import pytest

from tests.mind.layout_media import (
    BLACK,
    GREEN,
    RED,
    Person,
    colour_in,
    composed_mp4,
    frame_at,
    leave_all,
    looks_like,
    post,
    publish_all,
    recording_origin,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media, pytest.mark.timeout(600)]


def test_selector_shows_whoever_speaks_full_frame(mind, media_server, celery_worker, tmp_path):
    cid = mind.create_conference(name="selector", layout="selector")["id"]
    alice = Person(mind.create_participant(cid, name="Alice"), RED)
    bob = Person(mind.create_participant(cid, name="Bob"), GREEN)

    async def scenario():
        try:
            await publish_all(media_server, cid, [alice, bob])
            alice.tone.on = True
            await post(mind, f"{cid}/recording/start")
            await asyncio.sleep(7)
            alice.tone.on, bob.tone.on = False, True
            switched = time.time()
            await asyncio.sleep(7)
            await post(mind, f"{cid}/recording/stop")
            return switched
        finally:
            await leave_all([alice, bob])

    switched = asyncio.run(scenario()) - recording_origin(cid)
    mp4 = composed_mp4(mind, cid, tmp_path / "selector.mp4")
    for seconds, speaker in ((switched - 3, RED), (switched + 3.5, GREEN)):
        frame = frame_at(mp4, seconds)
        # The 4:3 camera is letterboxed in 16:9: x 160..1120 is the speaker, the side bars black.
        for x, y in ((200, 40), (640, 360), (1080, 680)):
            assert looks_like(colour_in(frame, x, y), speaker), (seconds, x, y, colour_in(frame, x, y))
        for x in (60, 1220):
            assert looks_like(colour_in(frame, x, 360), BLACK), (seconds, x, colour_in(frame, x, 360))
