"""Deleting a conference closes every participant session with 4000 and destroys its Janus room."""

import asyncio

import pytest

from mind.engine.janus import VideoRoomAdmin
from mind.models import Conference
from tests.mind.media_peer import MindPeer, db, has_janus_handles, publishing_pair

pytestmark = pytest.mark.django_db(transaction=True)


def room_exists(room_id) -> bool:
    with VideoRoomAdmin() as admin:
        return admin.exists(room_id)


def test_deleting_the_conference_expels_everyone_and_releases_janus(mind, media_server):
    cid = mind.create_conference(name="ending")["id"]
    room_id = Conference.objects.get(pk=cid).janus_room_id
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")
    carol = mind.create_participant(cid, name="Carol", role="attendee")

    async def scenario():
        a, b = await publishing_pair(media_server, cid, alice, bob)
        c = await MindPeer.join(media_server.session_url(cid, carol["token"]))
        try:
            assert await db(room_exists, room_id)
            assert (await db(lambda: mind.delete(cid))).status_code == 200
            assert [await peer.wait_closed() for peer in (a, b, c)] == [4000, 4000, 4000]
            assert not await db(room_exists, room_id)
            for who in (alice, bob, carol):
                assert not await db(has_janus_handles, who["id"])
        finally:
            for peer in (a, b, c):
                await peer.close()

    asyncio.run(scenario())
