"""Drives Janus from the REST side's signals (`mind.signals`, sent after each commit).

Streamings are pushed by the streamer process (`mind.engine.streaming`) and conferences are
transcribed live by the transcriber process (`mind.engine.transcriber`): the receivers here only
tell them to look at the database now, whichever process committed the change.

Janus may be down when a signal fires: the failure is logged and the reconciliation task
(`mind.engine.tasks.reconcile_janus`) releases whatever is left over later.
"""

import logging
import threading

from django.dispatch import receiver

from mind import signals
from mind.engine import recording, rooms, transcriber
from mind.engine.janus import JanusError
from mind.engine.streaming import request_sync

logger = logging.getLogger(__name__)


@receiver(signals.conference_ended)
def destroy_room(sender, conference_id, janus_room_id, **kwargs):
    request_sync(f"conference {conference_id} ended")  # its streamings went with it
    transcriber.request_sync(f"conference {conference_id} ended")
    try:
        rooms.destroy_room(conference_id, janus_room_id)
    except JanusError as exc:
        logger.warning("could not destroy the Janus room of conference %s: %s", conference_id, exc)


# A removed participant's own session (in whichever web process holds it) leaves the room as soon
# as it is told; the kick is for feeds nobody will take out (their process died). It comes later so
# it does not race that leave: Janus 1.1 can crash when a kick closes the PeerConnection of a handle
# that is being detached at the same moment (seen in the test suite: docs/testing.md).
KICK_DELAY_SECONDS = 3.0


@receiver(signals.participant_removed)
def kick_participant(sender, conference, participant_id, **kwargs):
    conference_id, room_id = conference.id, conference.janus_room_id
    try:
        rooms.revoke_participant(conference_id, room_id, participant_id)  # no way back in, at once
    except JanusError as exc:
        logger.warning("could not revoke participant %s in Janus: %s", participant_id, exc)
    timer = threading.Timer(KICK_DELAY_SECONDS, _kick_left_over_feeds, (conference_id, room_id, participant_id))
    timer.daemon = True
    timer.start()


def _kick_left_over_feeds(conference_id, room_id: int, participant_id) -> None:
    try:
        kicked = rooms.kick_participant(conference_id, room_id, participant_id)
    except Exception as exc:  # noqa: BLE001 (a thread of its own: nobody else would log it)
        logger.warning("could not kick participant %s from Janus: %s", participant_id, exc)
        return
    if kicked:
        logger.info("kicked %s feed(s) of removed participant %s nobody had taken out", kicked, participant_id)


@receiver(signals.recording_changed)
def set_recording(sender, conference, started, **kwargs):
    transcriber.request_sync(f"recording of {conference.id} {'started' if started else 'stopped'}")
    try:
        recording.set_recording(conference, started)
    except JanusError as exc:
        logger.warning("could not %s recording of conference %s: %s",
                       "start" if started else "stop", conference.id, exc)


@receiver(signals.streaming_changed)
def push_streaming(sender, streaming, started, **kwargs):
    # The streamer process pushes; it reads what to push from the database, which is committed now.
    request_sync(f"streaming {streaming.id} {'created' if started else 'deleted'}")


@receiver(signals.transcription_changed)
def follow_transcription(sender, conference_id, started, **kwargs):
    # The transcriber process listens to the microphones; it reads what to do from the database.
    transcriber.request_sync(f"transcription of {conference_id} {'started' if started else 'stopped'}")
