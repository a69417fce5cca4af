"""Recording a conference's room: Janus writes each publisher stream to its own .mjr file."""

from __future__ import annotations

from mind.engine import janus_pool, rooms
from mind.engine.janus import VideoRoomAdmin


def set_recording(conference, started: bool) -> None:
    """Starts (or resumes) / stops (or pauses) recording every feed of the conference's room.

    The room is created first if nobody has joined yet, so feeds that join later are recorded
    too (the room's `record` flag); a room re-created after a Janus restart reads the flag from
    the database (`Conference.recording_state`). The room is on the server that holds the conference
    (placing it now if nothing has needed the room yet).
    """
    with VideoRoomAdmin(janus_pool.place(conference.id).http()) as admin:
        rooms.ensure_room_sync(admin, conference)
        admin.request({"request": "enable_recording", "room": conference.janus_room_id,
                       "secret": rooms.room_secret(conference.id), "record": bool(started)})
