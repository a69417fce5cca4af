"""When Janus restarts, sessions notice, the room is re-created and participants re-publish."""

import asyncio

import pytest

from mind.engine.janus import VideoRoomAdmin
from mind.models import Conference
from tests.conftest import janus_answers
from tests.mind.media_peer import db, publishing_pair, receives

pytestmark = pytest.mark.django_db(transaction=True)


def room_exists(room_id) -> bool:
    with VideoRoomAdmin() as admin:
        return admin.exists(room_id)


def test_participants_republish_after_a_janus_restart(mind, media_server, restart_janus):
    cid = mind.create_conference(name="restart")["id"]
    room_id = Conference.objects.get(pk=cid).janus_room_id
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a, b = await publishing_pair(media_server, cid, alice, bob)
        try:
            marks = [len(a.messages), len(b.messages)]
            await asyncio.to_thread(restart_janus)
            for peer, start in zip((a, b), marks, strict=True):
                await peer.wait_for(lambda m: m.get("type") == "mediaReset", start=start, timeout=30)
                await peer.wait_for(lambda m: m.get("type") == "republish", start=start, timeout=30)
            assert await db(room_exists, room_id)
            for peer in (a, b):
                assert (await peer.publish())["type"] == "answer"
            await a.wait_until(lambda: receives(a, bob["id"]), timeout=30, what="Bob's media after the restart")
            await b.wait_until(lambda: receives(b, alice["id"]), timeout=30, what="Alice's media after the restart")
        finally:
            for peer in (a, b):
                await peer.leave()

    asyncio.run(scenario())
    assert janus_answers()  # later tests find Janus running
