"""Two web processes serve one conference (the run's WEB_CONCURRENCY Daphne processes share one socket;
here each has its own port so the test chooses): Alice's session is on process 1 and Bob's on process 2,
and they see and hear each other, Bob hears of Alice's message sent through process 1, and Alice
sees Bob come online. Alice's socket drops and she reconnects to process 2 with her session id: the
session goes on there as the same participant, never reported offline (process 1's grace period
ends without taking her presence), her media is negotiated afresh on process 2 and flows both ways
again, and process 1 lets go of her old Janus handles."""

import asyncio

import pytest
import requests

from mind.models import Participant
from tests.mind.media_peer import (
    GRACE_SECONDS,
    MediaServer,
    MindPeer,
    db,
    is_online_note,
    janus_handle_owners,
    receives,
    start_daphne,
    stop_process,
)
from tests.support.mind_server import APPLICATION_ID

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


@pytest.fixture
def second_web_process(media_server, tmp_path):
    proc, port = start_daphne(tmp_path)
    try:
        yield MediaServer(port, APPLICATION_ID)
    finally:
        stop_process(proc)


def handles_of(participant_id) -> int:
    return sum(owner.endswith(f":{participant_id}") for owner in janus_handle_owners())


def online(participant_id) -> bool:
    return Participant.objects.get(pk=participant_id).online


def test_one_conference_on_two_web_processes_and_a_session_moving_between_them(mind, media_server,
                                                                                second_web_process):
    first, second = media_server, second_web_process
    cid = mind.create_conference(name="two processes")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a = await MindPeer.join(first.session_url(cid, alice["token"]))
        b = await MindPeer.join(second.session_url(cid, bob["token"]))
        try:
            for peer in (a, b):
                assert (await peer.publish())["type"] == "answer"
            await a.wait_until(lambda: receives(a, bob["id"]), timeout=45, what="Bob's media on process 1")
            await b.wait_until(lambda: receives(b, alice["id"]), timeout=45, what="Alice's media on process 2")
            await a.wait_for(lambda m: is_online_note(m, bob["id"], True))  # presence, process 2 -> 1

            # A message sent through process 1's REST API reaches Bob's session on process 2.
            sent = await asyncio.to_thread(
                requests.post, f"http://127.0.0.1:{first.port}/mind/{APPLICATION_ID}/{cid}/messages",
                json={"sendTo": cid, "text": "hello from process 1"},
                headers={"Authorization": f"Bearer {alice['token']}"}, timeout=10)
            assert sent.status_code == 200, sent.text
            note = await b.wait_for(lambda m: m.get("type") == "created"
                                    and (m.get("resource") or {}).get("text") == "hello from process 1")
            assert note["resource"]["sentBy"] == alice["id"]

            # Alice's network drops; she reconnects, and lands on process 2.
            session_id, seen = a.welcome["sessionId"], len(b.messages)
            await a.close_socket()
            await a.connect(second.session_url(cid, alice["token"], session=session_id))
            assert a.welcome["participant"]["id"] == alice["id"] and a.welcome["resumed"] is False
            republished = await a.publish()
            assert republished["type"] == "answer", republished
            await b.wait_until(lambda: receives(b, alice["id"], frames=30), timeout=45,
                               what="Alice's media again, published on process 2")
            await a.wait_until(lambda: receives(a, bob["id"]), timeout=45, what="Bob's media on Alice's new session")

            # Process 1's grace period ends: her presence stays (process 2 holds it), her old handles go.
            await asyncio.sleep(GRACE_SECONDS + 3)
            assert await db(online, alice["id"]) is True
            assert not any(is_online_note(m, alice["id"], False) for m in b.messages[seen:])
            assert await asyncio.to_thread(handles_of, alice["id"]) <= 2  # process 2's publisher and subscriber
            assert (await a.request({"type": "ping"}))["type"] == "pong"
        finally:
            for peer in (a, b):
                await peer.leave()

    asyncio.run(scenario())
