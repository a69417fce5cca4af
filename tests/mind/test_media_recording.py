"""Recording a conference makes Janus write each publisher's streams as .mjr files, named by author."""

import asyncio

import pytest

from mind import engine
from mind.models import Conference
from tests.mind.media_peer import db, publishing_pair

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


def mjr_files(conference_id):
    folder = engine.recordings_dir(conference_id)
    return {path.name: path.stat().st_size for path in folder.glob("*.mjr")} if folder.exists() else {}


def test_recording_started_through_the_api_writes_mjr_files_per_participant_stream(mind, media_server):
    cid = mind.create_conference(name="recorded")["id"]
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a, b = await publishing_pair(media_server, cid, alice, bob)
        try:
            assert await db(mjr_files, cid) == {}
            assert (await db(lambda: mind.post(f"{cid}/recording/start"))).status_code == 200
            await asyncio.sleep(2)  # let some media be written
            assert (await db(lambda: mind.post(f"{cid}/recording/stop"))).status_code == 200
            return await db(mjr_files, cid)
        finally:
            for peer in (a, b):
                await peer.leave()

    files = asyncio.run(scenario())
    for who in (alice, bob):
        mine = {name: size for name, size in files.items() if name.startswith(f"{who['id']}-primary-")}
        kinds = sorted(name.rsplit("-", 2)[1] for name in mine)
        assert kinds == ["audio", "video"], files
        assert all(size > 1000 for size in mine.values()), mine  # real packets, not just a header


def test_set_recording_works_before_anyone_joins(mind):
    cid = mind.create_conference(name="empty")["id"]
    conference = Conference.objects.get(pk=cid)
    engine.set_recording(conference, True)  # creates the room with recording on
    engine.set_recording(conference, False)
    assert engine.release_conference(cid, conference.janus_room_id) is True
    assert engine.release_conference(cid, conference.janus_room_id) is False  # already gone
