"""A pool of two Janus servers (JANUS_SERVERS): new conferences are spread over both, a dead
server's rooms are rebuilt on the other and its participants get media again, and a room left on
a server that no longer holds its conference is reconciled away."""

import asyncio
from collections import Counter

import pytest

from mind.engine import rooms
from mind.engine.janus import VideoRoomAdmin
from mind.engine.reconcile import reconcile
from mind.models import Conference
from tests.mind.media_peer import MindPeer, db, publishing_pair, receives

pytestmark = pytest.mark.django_db(transaction=True)


def room_on(server, room_id) -> bool:
    with VideoRoomAdmin(server.http()) as admin:
        return admin.exists(room_id)


def placement(conference_id) -> str:
    return Conference.objects.values_list("janus_server", flat=True).get(pk=conference_id)


def test_new_conferences_are_spread_over_the_servers(mind, pool_server, pooled):
    conferences = [mind.create_conference(name=f"spread {n}")["id"] for n in range(4)]
    people = [mind.create_participant(cid, name=f"P{n}", role="speaker") for n, cid in enumerate(conferences)]

    async def scenario():
        peers = []
        try:
            for cid, person in zip(conferences, people, strict=True):
                peer = await MindPeer.join(pool_server.session_url(cid, person["token"]))
                peers.append(peer)
                assert peer.welcome["mediaReady"] is True
        finally:
            for peer in peers:
                await peer.leave()

    asyncio.run(scenario())
    placed = {cid: placement(cid) for cid in conferences}
    assert Counter(placed.values()) == {"first": 2, "second": 2}
    for cid, name in placed.items():
        room_id = Conference.objects.get(pk=cid).janus_room_id
        other = "second" if name == "first" else "first"
        assert room_on(pooled[name], room_id), f"the room of {cid} is not on {name}"
        assert not room_on(pooled[other], room_id), f"the room of {cid} is also on {other}"


def test_rooms_of_a_dead_server_move_and_participants_get_media_again(mind, pool_server, pooled, second_janus):
    cid = mind.create_conference(name="failover")["id"]
    Conference.objects.filter(pk=cid).update(janus_server="second")  # on the server we will kill
    room_id = Conference.objects.get(pk=cid).janus_room_id
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a, b = await publishing_pair(pool_server, cid, alice, bob)
        try:
            assert await db(room_on, pooled["second"], room_id)
            marks = [len(a.messages), len(b.messages)]
            await asyncio.to_thread(second_janus.kill)
            for peer, start in zip((a, b), marks, strict=True):
                await peer.wait_for(lambda m: m.get("type") == "mediaReset", start=start, timeout=30)
                await peer.wait_for(lambda m: m.get("type") == "republish", start=start, timeout=30)
            assert await db(placement, cid) == "first"
            assert await db(room_on, pooled["first"], room_id)
            for peer in (a, b):
                assert (await peer.publish())["type"] == "answer"
            await a.wait_until(lambda: receives(a, bob["id"]), timeout=30, what="Bob's media on the other server")
            await b.wait_until(lambda: receives(b, alice["id"]), timeout=30, what="Alice's media on the other server")
        finally:
            for peer in (a, b):
                await peer.leave()

    try:
        asyncio.run(scenario())
    finally:
        if not second_janus.answers():
            second_janus.start()  # later tests have two servers again


def test_a_room_left_on_a_server_that_no_longer_holds_it_is_destroyed(mind, pooled):
    cid = mind.create_conference(name="left behind")["id"]
    Conference.objects.filter(pk=cid).update(janus_server="first")
    conference = Conference.objects.get(pk=cid)
    for server in pooled.values():  # the room on its server, and one left on the other
        with VideoRoomAdmin(server.http()) as admin:
            rooms.ensure_room_sync(admin, conference)

    released = reconcile()

    assert released["rooms"] >= 1
    assert room_on(pooled["first"], conference.janus_room_id)
    assert not room_on(pooled["second"], conference.janus_room_id)
