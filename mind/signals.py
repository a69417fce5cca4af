"""Hooks from the Mind API (`mind.services`) to the media side (`mind.engine`).

Each is sent after the database commit. The engine connects receivers (in its AppConfig.ready or
module import) to drive Janus; the API works without receivers (state is kept either way).

recording_changed(conference, started: bool)
    Recording was started/resumed or stopped/paused: start or stop Janus recording of the room.
conference_ended(conference_id, janus_room_id)
    The conference was deleted or expired: destroy the Janus room, drop its handles.
participant_removed(conference, participant_id)
    The participant was deleted: kick it from the room.
streaming_changed(streaming, started: bool)
    An RTMP(S) streaming was created (start pushing) or deleted (stop).
transcription_changed(conference_id, started: bool)
    Live transcription was started or stopped (the transcriber process listens, as for recording).
presence_changed(conference_id, participant_id, online: bool)
    A participant came online or went offline (its session's grace period ended, it left, or its
    phone call ended). The meetings app listens: whoever is gone from the media is gone from the
    meeting.
screen_share_changed(conference_id, participant_id, sharing: bool)
    A participant started or stopped sending secondary (screen) video. The meetings app listens
    (Zoom's meeting.sharing_started / meeting.sharing_ended webhooks).
"""

from django.dispatch import Signal

recording_changed = Signal()
conference_ended = Signal()
participant_removed = Signal()
streaming_changed = Signal()
presence_changed = Signal()
transcription_changed = Signal()
screen_share_changed = Signal()

# Sent *inside* the transaction in which a conference's recording first starts (not after the
# commit), with `conference_id`: receivers take their holds on the recording media there
# (`mind.recording_retention.take`), atomically with the start. See `mind.recording_retention`.
recording_retained = Signal()
# Sent after the commit when the worker has composed (or failed to compose) a recording:
# `conference_id`, `media_state` ("ready" | "failed").
recording_composed = Signal()
