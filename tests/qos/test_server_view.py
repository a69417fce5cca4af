"""The server's own view (qos.server_view, beat task qos.tasks.collect_server_view): participants
who send no samples (here aiortc peers, which never send `qosSample`) get samples with
source=server from Janus's Admin API `handle_info`; someone whose client reports is left alone."""

import asyncio
import time

import pytest

from mind import client
from qos import ingest, tasks
from qos.models import QosSample
from tests.mind.media_peer import publishing_pair

pytestmark = pytest.mark.django_db(transaction=True)


class Server:
    def __init__(self, port, application_id):
        self.port, self.application_id = port, application_id

    def session_url(self, conference_id, token):
        return f"ws://127.0.0.1:{self.port}/mind/{self.application_id}/{conference_id}/session?access_token={token}"


def test_janus_stats_become_server_samples(media_server, settings):
    mind = client.EmbeddedMind()
    room = mind.create_conference(name="server view")
    alice = mind.create_participant(room["id"], name="Alice", role="speaker")
    phone = mind.create_participant(room["id"], name="Phone", role="speaker")

    async def scenario():
        a, b = await publishing_pair(Server(media_server.port, settings.MIND_APPLICATION_ID), room["id"], alice, phone)
        try:
            await asyncio.sleep(4)  # RTCP reports and a full second of bytes
            # Alice's browser reports; the phone does not.
            await asyncio.to_thread(ingest.accept_sample, alice["id"], room["id"], {
                "timestamp": time.time() * 1000, "outgoing": {"primary": {"audio": {"bitrate": 30000, "rate": 48000}}}})
            return await asyncio.to_thread(lambda: tasks.collect_server_view.apply().get())
        finally:
            for peer in (a, b):
                await peer.leave()

    assert asyncio.run(scenario()) == 1
    server_rows = QosSample.objects.filter(source="server")
    assert {str(r.participant_id) for r in server_rows} == {phone["id"]}
    streams = {(r.direction, r.kind): r for r in server_rows}
    assert set(streams) == {("out", "audio"), ("out", "video"), ("in", "audio"), ("in", "video")}
    assert streams[("out", "audio")].bitrate_bps > 0 and streams[("out", "video")].bitrate_bps > 0
    assert str(streams[("in", "video")].peer_id) == alice["id"]  # what the phone receives, and from whom
    assert all(r.media == "primary" and 0 <= r.loss_pct <= 100 for r in server_rows)
