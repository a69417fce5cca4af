"""A participant whose socket drops keeps its identity for a grace period; later it goes offline."""

import asyncio

import pytest

from mind.models import Participant
from tests.mind.media_peer import GRACE_SECONDS, db, has_janus_handles, is_online_note, publishing_pair

pytestmark = pytest.mark.django_db(transaction=True)


def online(participant_id) -> bool:
    return Participant.objects.get(pk=participant_id).online


def test_reconnecting_within_the_grace_period_resumes_the_same_session(mind, media_server):
    cid = mind.create_conference(name="resume")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a, b = await publishing_pair(media_server, cid, alice, bob)
        try:
            session_id = a.welcome["sessionId"]
            offers_before = b.offers_answered
            await a.close_socket()  # the PeerConnections keep running, as in a network blip
            assert await db(online, alice["id"]) is True
            await a.connect(media_server.session_url(cid, alice["token"], session=session_id))
            assert a.welcome["resumed"] is True and a.welcome["sessionId"] == session_id
            # Bob keeps receiving Alice on the same subscription: no renegotiation happened.
            seen = b.received_from(alice["id"], "video").frames
            await b.wait_until(lambda: b.received_from(alice["id"], "video").frames >= seen + 30,
                               what="more frames from Alice")
            assert b.offers_answered == offers_before
            assert not any(is_online_note(m, alice["id"], False) for m in b.messages)
            # The resumed socket is fully functional.
            assert (await a.request({"type": "ping"}))["type"] == "pong"
        finally:
            for peer in (a, b):
                await peer.leave()

    asyncio.run(scenario())


def test_without_a_reconnect_the_participant_goes_offline_after_the_grace_period(mind, media_server):
    cid = mind.create_conference(name="grace")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a, b = await publishing_pair(media_server, cid, alice, bob)
        try:
            stale_session = a.welcome["sessionId"]
            await a.close()
            note = await b.wait_for(lambda m: is_online_note(m, alice["id"], False), timeout=GRACE_SECONDS + 15)
            assert note["resource"]["media"] == {"audio": False, "video": False}
            assert not await db(has_janus_handles, alice["id"])
            # Bob's subscription dropped Alice's streams (a new offer without them).
            offer = await b.wait_for(lambda m: m.get("type") == "offer" and m["streams"] == [])
            assert offer["sdp"].startswith("v=0")
            # The old session cannot be resumed any more: a fresh one starts.
            await a.connect(media_server.session_url(cid, alice["token"], session=stale_session))
            assert a.welcome["resumed"] is False and a.welcome["sessionId"] != stale_session
        finally:
            for peer in (a, b):
                await peer.leave()

    asyncio.run(scenario())
