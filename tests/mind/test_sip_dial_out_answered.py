"""Dial-out answered by a SIP phone: the call is bridged into the conference both ways; hang-up ends it.

The far end (SIPp) echoes the RTP it receives, so the conference participant hearing its own tone
back from the SIP participant proves both directions: conference -> phone and phone -> conference.
"""

import asyncio

import pytest

from tests.mind.media_peer import MindPeer, db, has_janus_handles, is_online_note
from tests.mind.sip_far_end import SippUas
from tests.mind.sip_helpers import post, sip_url, state

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sip_process")]


def test_answered_call_is_bridged_and_hang_up_ends_it(mind, media_server, tmp_path):
    cid = mind.create_conference(name="sip")["id"]
    alice = mind.create_participant(cid, name="Alice", role="moderator")
    phone = mind.create_participant(cid, name="Phone", role="speaker")
    far_end = SippUas("answer_until_bye", tmp_path)

    async def scenario():
        a = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            assert (await a.publish(video=False))["type"] == "answer"
            status, body = await post(mind, sip_url(cid, phone["id"], "dial"),
                                      {"from": "Confer <sip:conference@10.99.0.1>", "to": f"Far End <{far_end.uri}>",
                                       "timeout": 15})
            assert (status, body) == (200, {"status": "answered"})
            during = await db(state, phone["id"])
            await a.wait_until(lambda: (r := a.received_from(phone["id"], "audio")) is not None and r.peak > 2000,
                               timeout=30, what="the tone echoed back by the phone")
            online = await a.wait_for(lambda m: is_online_note(m, phone["id"], True))

            assert await post(mind, sip_url(cid, phone["id"], "hangup")) == (200, None)
            await a.wait_for(lambda m: is_online_note(m, phone["id"], False), start=a.messages.index(online))
            return during, await db(state, phone["id"])
        finally:
            await a.leave()

    try:
        during, after = asyncio.run(scenario())
        assert far_end.wait() == 0, far_end.messages()
    finally:
        far_end.stop()
    assert during == {"online": True, "audio": True, "video": False, "sip_status": "answered"}
    assert far_end.received("BYE")
    assert after == {"online": False, "audio": False, "video": False, "sip_status": "answered"}
    assert not has_janus_handles(phone["id"])
    # Hanging up again: there is no call any more, nothing happens.
    assert mind.post(sip_url(cid, phone["id"], "hangup")).status_code == 200
