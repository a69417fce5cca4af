"""Bad input on the participant socket gets an error message, never a crash; bad tokens get no socket."""

import asyncio
import json

import pytest
import websockets

from tests.mind.media_peer import MindPeer, publishing_pair

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bad_token_or_conference_is_refused_at_the_handshake(mind, media_server):
    cid = mind.create_conference(name="refuse")["id"]
    other = mind.create_conference(name="other")["id"]
    alice = mind.create_participant(cid, name="Alice")

    async def scenario():
        for url in (media_server.session_url(cid, "not-a-token"),
                    media_server.session_url(other, alice["token"]),  # the token of another conference
                    media_server.session_url(cid, "")):
            with pytest.raises(websockets.InvalidStatus) as excinfo:
                await websockets.connect(url)
            assert excinfo.value.response.status_code == 403

    asyncio.run(scenario())


def test_bad_messages_get_errors_and_the_session_survives(mind, media_server):
    cid = mind.create_conference(name="protocol")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")

    async def scenario():
        a = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            raw = ["not json", "[1, 2]", json.dumps({"type": "dance"}), json.dumps({"no": "type"}), "x" * 300_000]
            for text in raw:
                start = len(a.messages)
                await a.ws.send(text)
                error = await a.wait_for(lambda m: m.get("type") == "error", start=start)
                assert error["code"] == "bad-request"
            await a.ws.send(b"\x00\x01")  # binary frames are not part of the protocol
            replies = [
                await a.request({"type": "publish", "media": "primary", "sdp": "hello"}),
                await a.request({"type": "publish", "media": "tertiary", "sdp": "v=0"}),
                await a.request({"type": "answer", "sdp": "v=0\r\n"}),  # no offer is pending
                await a.request({"type": "configure", "mid": "0", "substream": 7}),
                await a.request({"type": "configure", "mid": "42", "substream": 1}),  # no such stream
                await a.request({"type": "candidate", "target": "subscription", "candidate": {"candidate": "x"}}),
                await a.request({"type": "candidate", "target": "elsewhere"}),
            ]
            assert [(r["type"], r["code"]) for r in replies] == [("error", "bad-request")] * len(replies)
            assert (await a.request({"type": "ping"}))["type"] == "pong"
            # An SDP Janus cannot use is refused by the media server, and reported as such.
            refused = await a.request({"type": "publish", "media": "primary", "sdp": "v=0\r\nnonsense\r\n"})
            assert refused["type"] == "error" and refused["code"] == "media-error"
            assert (await a.request({"type": "ping"}))["type"] == "pong"
        finally:
            await a.leave()

    asyncio.run(scenario())


def test_subscribers_can_choose_a_simulcast_layer(mind, media_server):
    cid = mind.create_conference(name="layers")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a, b = await publishing_pair(media_server, cid, alice, bob)
        try:
            video_mid = next(mid for mid, s in b.streams.items() if s["kind"] == "video")
            reply = await b.request({"type": "configure", "mid": video_mid, "substream": 0, "temporal": 1})
            assert reply == {"type": "configured", "mid": video_mid, "substream": 0, "temporal": 1, "id": reply["id"]}
        finally:
            for peer in (a, b):
                await peer.leave()

    asyncio.run(scenario())
