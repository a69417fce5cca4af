"""Two headless WebRTC peers exchange audio and video through Janus; an attendee only receives."""

import asyncio

import pytest

from mind.models import Participant
from tests.mind.media_peer import MindPeer, db

pytestmark = pytest.mark.django_db(transaction=True)


def flags(participant_id):
    p = Participant.objects.get(pk=participant_id)
    return {"online": p.online, "media": (p.media_audio, p.media_video), "secondary": (p.secondary_audio, p.secondary_video)}


def test_speakers_exchange_media_and_an_attendee_receives_but_may_not_publish(mind, media_server):
    conference = mind.create_conference(name="media")
    cid = conference["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="moderator")
    carol = mind.create_participant(cid, name="Carol", role="attendee")
    url = lambda who: media_server.session_url(cid, who["token"])  # noqa: E731

    async def scenario():
        a, b = await MindPeer.join(url(alice)), await MindPeer.join(url(bob))
        try:
            assert a.welcome["participant"]["id"] == alice["id"] and a.welcome["resumed"] is False
            assert (await a.publish())["type"] == "answer"
            assert (await b.publish())["type"] == "answer"
            for receiver, sender in ((a, bob), (b, alice)):
                await receiver.wait_until(
                    lambda receiver=receiver, sender=sender: (v := receiver.received_from(sender["id"], "video")) is not None and v.frames >= 10
                    and (s := receiver.received_from(sender["id"], "audio")) is not None and s.peak > 2000,
                    timeout=30, what=f"media from {sender['name']}")
            c = await MindPeer.join(url(carol))
            try:
                refused = await c.publish()
                assert refused["type"] == "error" and refused["code"] == "forbidden"
                for sender in (alice, bob):
                    await c.wait_until(
                        lambda sender=sender: (v := c.received_from(sender["id"], "video")) is not None and v.frames >= 10
                        and (s := c.received_from(sender["id"], "audio")) is not None and s.peak > 2000,
                        timeout=30, what=f"the attendee receiving {sender['name']}")
                # Nobody receives anything from the attendee.
                assert all(stream["participantId"] != carol["id"] for stream in a.streams.values())
                return await db(lambda: [flags(p["id"]) for p in (alice, bob, carol)])
            finally:
                await c.leave()
        finally:
            for peer in (a, b):
                await peer.leave()

    alice_state, bob_state, carol_state = asyncio.run(scenario())
    assert alice_state == {"online": True, "media": (True, True), "secondary": (False, False)}
    assert bob_state == {"online": True, "media": (True, True), "secondary": (False, False)}
    assert carol_state == {"online": True, "media": (False, False), "secondary": (False, False)}
    # Leaving takes them offline and clears their media flags.
    assert [flags(p["id"]) for p in (alice, bob, carol)] == [
        {"online": False, "media": (False, False), "secondary": (False, False)}] * 3
