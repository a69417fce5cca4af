"""With a pool of Janus servers, recording runs on whichever server holds the room: started on the
second server, it goes on after that server dies and the room moves to the first (the room is
re-created there with recording on; the republished feeds are written to new .mjr files in the
same folder)."""

import asyncio

import pytest

from mind import engine
from mind.models import Conference
from tests.mind.media_peer import db, publishing_pair, receives

pytestmark = pytest.mark.django_db(transaction=True)


def mjr_files(conference_id) -> dict[str, int]:
    folder = engine.recordings_dir(conference_id)
    return {path.name: path.stat().st_size for path in folder.glob("*.mjr")} if folder.exists() else {}


def primary_audio(files: dict[str, int], participant_id: str) -> dict[str, int]:
    return {name: size for name, size in files.items()
            if name.startswith(f"{participant_id}-primary-") and "-audio-" in name}


def test_recording_goes_on_when_the_room_moves(mind, pool_server, pooled, second_janus):
    cid = mind.create_conference(name="pool recording")["id"]
    Conference.objects.filter(pk=cid).update(janus_server="second")
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a, b = await publishing_pair(pool_server, cid, alice, bob)
        try:
            assert (await db(lambda: mind.post(f"{cid}/recording/start"))).status_code == 200
            await asyncio.sleep(2)  # let some media be written by the second server
            before = await db(mjr_files, cid)
            marks = [len(a.messages), len(b.messages)]
            await asyncio.to_thread(second_janus.kill)
            for peer, start in zip((a, b), marks, strict=True):
                await peer.wait_for(lambda m: m.get("type") == "republish", start=start, timeout=30)
            assert await db(lambda: Conference.objects.get(pk=cid).janus_server) == "first"
            for peer in (a, b):
                assert (await peer.publish())["type"] == "answer"
            await a.wait_until(lambda: receives(a, bob["id"]), timeout=30, what="Bob's media on the first server")
            await asyncio.sleep(2)  # and some by the first
            assert (await db(lambda: mind.post(f"{cid}/recording/stop"))).status_code == 200
            return before, await db(mjr_files, cid)
        finally:
            for peer in (a, b):
                await peer.leave()

    try:
        before, after = asyncio.run(scenario())
    finally:
        if not second_janus.answers():
            second_janus.start()
    for who in (alice, bob):
        first_part = primary_audio(before, who["id"])
        assert len(first_part) == 1, before  # written on the second server
        both_parts = primary_audio(after, who["id"])
        assert len(both_parts) == 2, after  # and a new file from the first after the move
        assert all(size > 1000 for size in both_parts.values()), both_parts
