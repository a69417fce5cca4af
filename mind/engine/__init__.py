"""The embedded Mind engine's media side: Janus rooms, participant media, recording hooks.

Functions for the REST side (synchronous; they talk to Janus over its HTTP API):

``set_recording(conference, started)``
    Starts or stops Janus recording of the conference's room (creating the room if nobody has
    joined yet). Janus writes one `.mjr` file per stream into ``recordings_dir(conference.id)``,
    i.e. ``$JANUS_RECORDINGS_DIR/<conferenceId>/``, named
    ``<participantId>-<primary|secondary>-<publishStartMs>-<audio|video>-<mindex>.mjr``.
``recordings_dir(conference_id)``
    That folder.
``release_conference(conference_id, janus_room_id)``
    Destroys the room (every handle in it is told; their sessions close with 4000).

`mind.engine.receivers` connects these to the signals `mind.services` sends after each commit.
"""

from mind.engine.recording import set_recording
from mind.engine.rooms import destroy_room as _destroy_room
from mind.engine.rooms import recordings_dir

__all__ = ["set_recording", "recordings_dir", "release_conference"]


def release_conference(conference_id, janus_room_id: int) -> bool:
    return _destroy_room(conference_id, janus_room_id)

