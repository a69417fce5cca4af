"""Reconciliation: the streamer follows the database even without signals, and the periodic task
stops Janus forwarders that no push reads."""

import asyncio

import pytest

from mind.engine import rooms
from mind.engine.janus import VideoRoomAdmin
from mind.engine.tasks import reconcile_streamings
from mind.models import Conference, Streaming
from tests.conftest import free_port, wait_until
from tests.mind.media_peer import MindPeer, db
from tests.mind.streaming_helpers import RtmpReceiver, analyse, ffmpeg_pids, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_streamings_changed_behind_the_engines_back_are_picked_up_and_dropped(mind, streamer, tmp_path):
    cid = mind.create_conference(name="no signals")["id"]
    receiver = RtmpReceiver(tmp_path).start()
    try:
        # Created without the API (no signal, no notification): the streamer's own sync finds it.
        streaming = Streaming.objects.create(conference=Conference.objects.get(pk=cid), url=receiver.url)
        wait_until(lambda: Streaming.objects.get(pk=streaming.pk).alive, timeout=45, message="the push")
        wait_until(lambda: analyse(receiver.path).duration > 1, timeout=30, message="frames")
        # Deleted without the API: the push stops all the same.
        Streaming.objects.filter(pk=streaming.pk).delete()
        wait_until(lambda: not receiver.running, timeout=30, message="the push to end")
        wait_until(lambda: not ffmpeg_pids(str(streaming.pk)), timeout=15, message="ffmpeg to exit")
    finally:
        receiver.stop()


def forwarders(conference) -> list[tuple[int, int]]:
    """(publisher id, port) of every forwarder in the conference's room."""
    with VideoRoomAdmin() as admin:
        found = admin.request({"request": "listforwarders", "room": conference.janus_room_id,
                               "secret": rooms.room_secret(conference.id)})
    return [(p["publisher_id"], f["port"]) for p in found.get("publishers", []) for f in p.get("forwarders", [])]


def test_reconcile_stops_forwarders_nobody_reads(mind, media_server, streamer, celery_worker, tmp_path):
    from django.conf import settings

    cid = mind.create_conference(name="stray forwarder")["id"]
    conference = Conference.objects.get(pk=cid)
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    receiver = RtmpReceiver(tmp_path).start()

    async def scenario():
        peer = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            assert (await peer.publish())["type"] == "answer"
            await db(lambda: mind.post(f"{cid}/streamings", {"url": receiver.url}))
            ours = await wait_for(lambda: len(forwarders(conference)) == 2 and forwarders(conference), 45,
                                  "the streaming's forwarders (audio and video)")
            # A forwarder left behind by a streamer that died: nobody owns its port.
            publisher_id = ours[0][0]
            stray_port = free_port()

            def add_stray():
                with VideoRoomAdmin() as admin:
                    listing = admin.request({"request": "listparticipants", "room": conference.janus_room_id})
                    mids = [s["mid"] for p in listing["participants"] if p["id"] == publisher_id
                            for s in p.get("streams", [])] or ["0"]
                    admin.request({"request": "rtp_forward", "room": conference.janus_room_id,
                                   "publisher_id": publisher_id, "host": "127.0.0.1",
                                   "streams": [{"mid": mids[0], "port": stray_port}],
                                   "secret": rooms.room_secret(conference.id), "admin_key": settings.JANUS_ROOM_ADMIN_KEY})

            await asyncio.to_thread(add_stray)
            assert (publisher_id, stray_port) in await asyncio.to_thread(forwarders, conference)

            result = await asyncio.to_thread(lambda: reconcile_streamings.delay().get(timeout=60))
            assert result["forwarders"] >= 1
            left = await asyncio.to_thread(forwarders, conference)
            assert sorted(left) == sorted(ours)  # the push's own forwarders stay
            assert receiver.running
        finally:
            await peer.leave()

    try:
        asyncio.run(scenario())
    finally:
        receiver.stop()
