"""Roles decide what a participant may publish; the media flags follow what is published."""

import asyncio

import pytest

from mind.models import Participant
from tests.mind.media_peer import MindPeer, db

pytestmark = pytest.mark.django_db(transaction=True)


def media_flags(participant_id):
    p = Participant.objects.get(pk=participant_id)
    return (p.media_audio, p.media_video), (p.secondary_audio, p.secondary_video)


def test_presenters_share_screens_speakers_may_not_and_a_demotion_stops_publishing(mind, media_server):
    cid = mind.create_conference(name="roles")["id"]
    paula = mind.create_participant(cid, name="Paula", role="presenter")
    sam = mind.create_participant(cid, name="Sam", role="speaker")

    async def scenario():
        p = await MindPeer.join(media_server.session_url(cid, paula["token"]))
        s = await MindPeer.join(media_server.session_url(cid, sam["token"]))
        try:
            refused = await s.publish("secondary")
            assert (refused["type"], refused["code"]) == ("error", "forbidden")
            assert (await p.publish("secondary", audio=False, video=True))["type"] == "answer"
            await s.wait_until(lambda: (v := s.received_from(paula["id"], "video", "secondary")) is not None
                               and v.frames >= 10, what="Paula's screen")
            assert s.received_from(paula["id"], "video", "primary") is None
            assert await db(media_flags, paula["id"]) == ((False, False), (False, True))
            # Sam only sends audio: only his audio flag goes up.
            assert (await s.publish("primary", audio=True, video=False))["type"] == "answer"
            assert await db(media_flags, sam["id"]) == ((True, False), (False, False))
            # Demoted to attendee, Paula stops sharing; she and Sam are told.
            response = await db(lambda: mind.patch(f"{cid}/participants/{paula['id']}", {"role": "attendee"}))
            assert response.status_code == 200
            stopped = await p.wait_for(lambda m: m.get("type") == "unpublished")
            assert stopped["media"] == "secondary" and stopped["reason"] == "role"
            await s.wait_for(lambda m: m.get("location") == f"/participants/{paula['id']}"
                             and m["resource"]["secondaryMedia"] == {"audio": False, "video": False}
                             and m["resource"]["role"] == "attendee")
            assert await db(media_flags, paula["id"]) == ((False, False), (False, False))
        finally:
            for peer in (p, s):
                await peer.leave()

    asyncio.run(scenario())
