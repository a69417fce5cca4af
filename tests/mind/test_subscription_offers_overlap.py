"""A subscriber that answers slowly while another participant's publication comes and goes: the
server's offers overlap (Janus renegotiates on its own when a feed leaves, the engine's updates
offer too). Only the answer to the latest offer may reach Janus, a stale answer is no error, and
the subscription follows the room to the end."""

import asyncio

import pytest

from tests.mind.media_peer import MindPeer

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_slow_subscriber_follows_a_publication_that_comes_and_goes(mind, media_server):
    cid = mind.create_conference(name="overlap")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        b = await MindPeer.join(media_server.session_url(cid, bob["token"]))
        b.answer_delay = 0.4
        try:
            for _ in range(3):
                assert (await a.publish(video=False))["type"] == "answer"
                await asyncio.sleep(0.2)
                assert (await a.unpublish())["type"] == "unpublished"
            assert (await a.publish())["type"] == "answer"
            await b.wait_until(lambda: (v := b.received_from(alice["id"], "video")) is not None and v.frames >= 10,
                               timeout=30, what="Alice's video after the churn")
            return [m for m in b.messages if m.get("type") == "error"], b.offers_answered
        finally:
            for peer in (a, b):
                await peer.leave()

    errors, answered = asyncio.run(scenario())
    assert errors == []
    assert answered >= 2
