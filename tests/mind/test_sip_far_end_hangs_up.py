"""The phone hangs up (BYE): the SIP participant goes offline, everyone is told, no Janus handle is left."""

import asyncio

import pytest

from tests.mind.media_peer import MindPeer, db, has_janus_handles, is_online_note
from tests.mind.sip_far_end import SippUas
from tests.mind.sip_helpers import post, sip_url, state

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sip_process")]


def test_far_end_hang_up_takes_the_participant_offline(mind, media_server, tmp_path):
    cid = mind.create_conference(name="sip")["id"]
    alice = mind.create_participant(cid, name="Alice", role="moderator")
    phone = mind.create_participant(cid, name="Phone", role="speaker")
    far_end = SippUas("answer_then_hang_up", tmp_path)

    async def scenario():
        a = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            dialed = await post(mind, sip_url(cid, phone["id"], "dial"), {"from": "sip:conference@10.99.0.1",
                                                                          "to": far_end.uri})
            assert dialed == (200, {"status": "answered"})
            online = await a.wait_for(lambda m: is_online_note(m, phone["id"], True))
            # Nobody hangs up here: the phone does, and the participant's presence follows.
            await a.wait_for(lambda m: is_online_note(m, phone["id"], False), timeout=30,
                             start=a.messages.index(online))
            return await db(state, phone["id"])
        finally:
            await a.leave()

    try:
        after = asyncio.run(scenario())
        assert far_end.wait() == 0, far_end.messages()
    finally:
        far_end.stop()
    assert after == {"online": False, "audio": False, "video": False, "sip_status": "answered"}
    assert not has_janus_handles(phone["id"])
