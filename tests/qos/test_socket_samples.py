"""The engine hands `qosSample` messages of a real participant socket (Daphne, the embedded engine)
to the product's handler (MIND_QUALITY_SAMPLE_HANDLER): accepted samples are stored, refusals come
back as the socket's `error` message and the session goes on."""

import asyncio
import time

import pytest

from mind import client
from qos.models import QosSample
from tests.mind.media_peer import MindPeer

pytestmark = pytest.mark.django_db(transaction=True)


def sample(**stream):
    return {"timestamp": time.time() * 1000, "transport": {"protocol": "udp"},
            "outgoing": {"primary": {"audio": {"bitrate": 32000, "rtt": 30, "jitter": 2, "losses": 0, "delay": 0,
                                               "rate": 48000, **stream}}}}


def test_samples_travel_over_the_session_socket(media_server, settings):
    mind = client.EmbeddedMind()
    room = mind.create_conference(name="qos socket")
    alice = mind.create_participant(room["id"], name="Alice", role="speaker")
    url = (f"ws://127.0.0.1:{media_server.port}/mind/{settings.MIND_APPLICATION_ID}/{room['id']}/session"
           f"?access_token={alice['token']}")

    async def scenario():
        peer = await MindPeer.join(url)
        try:
            accepted = await peer.request({"type": "qosSample", "sample": sample()})
            refused = await peer.request({"type": "qosSample", "sample": sample(losses=250)})
            alive = await peer.request({"type": "ping"})
            return accepted, refused, alive
        finally:
            await peer.leave()

    accepted, refused, alive = asyncio.run(scenario())
    assert accepted["type"] == "qosAccepted"
    assert refused["type"] == "error" and refused["code"] == "bad-request" and "losses" in refused["message"]
    assert alive["type"] == "pong"
    (row,) = QosSample.objects.all()
    assert (str(row.participant_id), str(row.conference_id), row.kind, row.bitrate_bps) == (
        alice["id"], room["id"], "audio", 32000)
