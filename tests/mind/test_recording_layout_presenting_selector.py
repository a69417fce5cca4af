"""`presenting_selector` recordings: the screen share fills the main area and only the active
speaker's camera is beside it, following whoever speaks. Alice (a moderator, red camera) shares a
blue screen and speaks first, then Bob (green) speaks."""

import asyncio
import time

import pytest

from tests.mind.layout_media import (
    BLACK,
    BLUE,
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


def test_the_speaker_is_beside_the_screen_share(mind, media_server, celery_worker, tmp_path):
    cid = mind.create_conference(name="presenting", layout="presenting_selector")["id"]
    alice = Person(mind.create_participant(cid, name="Alice", role="moderator"), RED, screen=BLUE)
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
    mp4 = composed_mp4(mind, cid, tmp_path / "presenting.mp4")
    for seconds, speaker in ((switched - 3, RED), (switched + 3.5, GREEN)):
        frame = frame_at(mp4, seconds)
        assert looks_like(colour_in(frame, 480, 360), BLUE), (seconds, colour_in(frame, 480, 360))
        assert looks_like(colour_in(frame, 1120, 90), speaker), (seconds, colour_in(frame, 1120, 90))
        # One camera only: the rest of the column is black.
        assert looks_like(colour_in(frame, 1120, 270), BLACK), (seconds, colour_in(frame, 1120, 270))
