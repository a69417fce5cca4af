"""`presenting_mosaic` recordings: the screen share fills the main area (the left 960×720) and every
camera sits in the column beside it. Alice (a moderator, red camera) shares a blue screen, Bob's
camera is green; the composed MP4's pixels say where each went."""

import asyncio

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
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media, pytest.mark.timeout(600)]


def test_the_screen_share_fills_the_main_area_and_the_cameras_are_beside_it(mind, media_server, celery_worker,
                                                                             tmp_path):
    cid = mind.create_conference(name="presenting", layout="presenting_mosaic")["id"]
    alice = Person(mind.create_participant(cid, name="Alice", role="moderator"), RED, screen=BLUE)
    bob = Person(mind.create_participant(cid, name="Bob"), GREEN)

    async def scenario():
        try:
            await publish_all(media_server, cid, [alice, bob])
            alice.tone.on = True
            await post(mind, f"{cid}/recording/start")
            await asyncio.sleep(6)
            await post(mind, f"{cid}/recording/stop")
        finally:
            await leave_all([alice, bob])

    asyncio.run(scenario())
    mp4 = composed_mp4(mind, cid, tmp_path / "presenting.mp4")
    frame = frame_at(mp4, 4)
    # The 4:3 screen fills the 960×720 main area exactly.
    for x, y in ((40, 40), (480, 360), (920, 680)):
        assert looks_like(colour_in(frame, x, y), BLUE), (x, y, colour_in(frame, x, y))
    # The column: 320×180 tiles from the top, each 4:3 camera letterboxed (240×180, x 1000..1240).
    tiles = [colour_in(frame, 1120, 90), colour_in(frame, 1120, 270)]
    assert any(looks_like(c, RED) for c in tiles) and any(looks_like(c, GREEN) for c in tiles), tiles
    for x, y in ((1120, 500), (975, 90)):  # below the tiles, the tile's side bar
        assert looks_like(colour_in(frame, x, y, size=10), BLACK), (x, y, colour_in(frame, x, y, size=10))
