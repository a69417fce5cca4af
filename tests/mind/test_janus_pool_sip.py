"""With a pool of Janus servers, a SIP dial-out is placed from the server that holds the room: the
SIP plugin handle and the conference leg are both on the second server, and the phone's echo of the
participant's tone comes back through it."""

import asyncio

import pytest

from mind.engine.janus import JanusError
from mind.models import Conference
from tests.mind.conftest import janus_servers_setting
from tests.mind.media_peer import MindPeer, db, is_online_note
from tests.mind.sip_far_end import SippUas
from tests.mind.sip_helpers import post, sip_url
from tests.support.sip_process import SipProcess

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def pool_sip_process(django_db_setup, pool, tmp_path_factory):
    process = SipProcess(tmp_path_factory.mktemp("sip-pool"), SIP_DIAL_IN="off", JANUS_SERVERS=janus_servers_setting(pool))
    process.start()
    try:
        yield process
    finally:
        process.stop()


def handle_owners(server) -> list[str]:
    """opaque_id of every handle on one server."""
    janus, owners = server.http(), []
    for session_id in janus.admin("list_sessions").get("sessions", []):
        try:
            for handle_id in janus.admin("list_handles", session_id=session_id).get("handles", []):
                info = janus.admin("handle_info", session_id=session_id, handle_id=handle_id).get("info", {})
                owners.append(info.get("opaque_id") or "")
        except JanusError:
            pass  # went away while we looked
    return owners


def test_a_dial_out_goes_through_the_server_that_holds_the_room(mind, pool_server, pool_sip_process, pooled, tmp_path):
    cid = mind.create_conference(name="pool sip")["id"]
    Conference.objects.filter(pk=cid).update(janus_server="second")
    alice = mind.create_participant(cid, name="Alice", role="moderator")
    phone = mind.create_participant(cid, name="Phone", role="speaker")
    far_end = SippUas("answer_until_bye", tmp_path)

    async def scenario():
        a = await MindPeer.join(pool_server.session_url(cid, alice["token"]))
        try:
            assert (await a.publish(video=False))["type"] == "answer"
            status, body = await post(mind, sip_url(cid, phone["id"], "dial"),
                                      {"from": "Confer <sip:conference@10.99.0.1>", "to": f"Far End <{far_end.uri}>",
                                       "timeout": 15})
            assert (status, body) == (200, {"status": "answered"})
            await a.wait_until(lambda: (r := a.received_from(phone["id"], "audio")) is not None and r.peak > 2000,
                               timeout=30, what="the tone echoed back by the phone")
            on_second = await db(handle_owners, pooled["second"])
            on_first = await db(handle_owners, pooled["first"])
            online = await a.wait_for(lambda m: is_online_note(m, phone["id"], True))
            assert await post(mind, sip_url(cid, phone["id"], "hangup")) == (200, None)
            await a.wait_for(lambda m: is_online_note(m, phone["id"], False), start=a.messages.index(online))
            return on_second, on_first
        finally:
            await a.leave()

    try:
        on_second, on_first = asyncio.run(scenario())
        assert far_end.wait() == 0, far_end.messages()
    finally:
        far_end.stop()
    phone_handles = [owner for owner in on_second if owner.endswith(f":{phone['id']}")]
    assert len(phone_handles) >= 2, on_second  # the SIP plugin handle and the conference leg's handles
    assert not any(owner.endswith(f":{phone['id']}") for owner in on_first), on_first
