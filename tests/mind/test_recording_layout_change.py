"""The recording follows a layout change made while it runs (`PATCH /{conferenceId}` with `layout`):
what was recorded before the change is a mosaic of both cameras, what came after shows the active
speaker full frame."""

import asyncio
import time

import pytest

from tests.mind.layout_media import (
    GREEN,
    RED,
    Person,
    colour_in,
    composed_mp4,
    frame_at,
    leave_all,
    looks_like,
    patch,
    post,
    publish_all,
    recording_origin,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media, pytest.mark.timeout(600)]


def test_a_layout_change_during_the_recording_applies_from_that_moment(mind, media_server, celery_worker, tmp_path):
    cid = mind.create_conference(name="changing")["id"]  # mosaic, the default
    alice = Person(mind.create_participant(cid, name="Alice"), RED)
    bob = Person(mind.create_participant(cid, name="Bob"), GREEN)

    async def scenario():
        try:
            await publish_all(media_server, cid, [alice, bob])
            bob.tone.on = True
            await post(mind, f"{cid}/recording/start")
            await asyncio.sleep(6)
            await patch(mind, cid, {"layout": "selector"})
            changed = time.time()
            await asyncio.sleep(6)
            await post(mind, f"{cid}/recording/stop")
            return changed
        finally:
            await leave_all([alice, bob])

    changed = asyncio.run(scenario()) - recording_origin(cid)
    mp4 = composed_mp4(mind, cid, tmp_path / "changing.mp4")

    before = frame_at(mp4, changed - 2.5)  # two 640×720 tiles, each camera letterboxed to 640×480
    tiles = [colour_in(before, 320, 360), colour_in(before, 960, 360)]
    assert any(looks_like(c, RED) for c in tiles) and any(looks_like(c, GREEN) for c in tiles), tiles
    assert looks_like(colour_in(before, 320, 60), (0, 0, 0)), colour_in(before, 320, 60)  # the letterbox

    after = frame_at(mp4, changed + 3)  # Bob speaks: his camera full frame
    for x, y in ((200, 40), (640, 360), (1080, 680)):
        assert looks_like(colour_in(after, x, y), GREEN), (x, y, colour_in(after, x, y))
