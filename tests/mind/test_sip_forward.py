"""Forwarding a SIP call: the plugin sends the phone a REFER to the destination (blind transfer).

The phone (SIPp) accepts it (202), reports the transfer done (NOTIFY "SIP/2.0 200 OK") and the
engine then leaves the call (BYE), as a transferor does: the participant goes offline.
"""

import asyncio

import pytest

from tests.mind.media_peer import MindPeer, db, has_janus_handles, is_online_note
from tests.mind.sip_far_end import SippUas
from tests.mind.sip_helpers import post, sip_url, state

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sip_process")]


def test_forward_sends_a_refer_and_the_call_leaves_the_conference(mind, media_server, tmp_path):
    cid = mind.create_conference(name="sip")["id"]
    alice = mind.create_participant(cid, name="Alice", role="moderator")
    phone = mind.create_participant(cid, name="Phone", role="speaker")
    far_end = SippUas("answer_then_accept_refer", tmp_path)

    async def scenario():
        a = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            dialed = await post(mind, sip_url(cid, phone["id"], "dial"), {"from": "sip:conference@10.99.0.1",
                                                                          "to": far_end.uri})
            assert dialed == (200, {"status": "answered"})
            online = await a.wait_for(lambda m: is_online_note(m, phone["id"], True))
            forwarded = await post(mind, sip_url(cid, phone["id"], "forward"),
                                   {"destination": "Reception <sip:reception@10.99.0.2:5999>"})
            assert forwarded == (200, None)
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
    assert far_end.received("REFER")
    assert "<sip:reception@10.99.0.2:5999>" in far_end.logged()  # the REFER's Refer-To, as SIPp logged it
    assert far_end.received("BYE")
    assert after == {"online": False, "audio": False, "video": False, "sip_status": "answered"}
    assert not has_janus_handles(phone["id"])


def test_forward_without_a_call_is_409(mind):
    cid = mind.create_conference(name="sip")["id"]
    phone = mind.create_participant(cid, name="Phone")
    response = mind.post(sip_url(cid, phone["id"], "forward"), {"destination": "sip:reception@10.99.0.2"})
    assert response.status_code == 409
