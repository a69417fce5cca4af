"""Deleting a participant through the REST API closes its session with 4001 and frees its Janus handles."""

import asyncio

import pytest
import websockets

from tests.mind.media_peer import MindPeer, db, has_janus_handles, publishing_pair

pytestmark = pytest.mark.django_db(transaction=True)


def test_deleted_participant_is_expelled_and_its_janus_handles_go_away(mind, media_server):
    cid = mind.create_conference(name="expel")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a, b = await publishing_pair(media_server, cid, alice, bob)
        try:
            assert await db(has_janus_handles, alice["id"])
            response = await db(lambda: mind.delete(f"{cid}/participants/{alice['id']}"))
            assert response.status_code == 200
            assert await a.wait_closed() == 4001
            assert not await db(has_janus_handles, alice["id"])
            assert await db(has_janus_handles, bob["id"])  # Bob is untouched
            # Bob is told, and his subscription drops Alice's streams.
            await b.wait_for(lambda m: m.get("type") == "deleted" and m.get("location") == f"/participants/{alice['id']}")
            offer = await b.wait_for(lambda m: m.get("type") == "offer"
                                     and all(s["participantId"] != alice["id"] for s in m["streams"]))
            assert offer["streams"] == []
            # The expelled token no longer opens a session.
            with pytest.raises(websockets.InvalidStatus) as refused:
                await MindPeer.join(media_server.session_url(cid, alice["token"]))
            assert refused.value.response.status_code == 403
        finally:
            await a.close()
            await b.leave()

    asyncio.run(scenario())
