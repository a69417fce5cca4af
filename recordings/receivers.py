"""The recordings app's side of the media engine's signals.

- `recording_retained` (inside the start transaction): hold the media for collection.
- `recording_changed` (started): a resumed recording is being prepared again.
- `recording_composed` / `conference_ended`: collect now (the task waits for what is not ready).
"""

from django.db import transaction
from django.dispatch import receiver

from mind import recording_retention, signals


def _collect_later(conference_id) -> None:
    from recordings.tasks import collect_recording

    transaction.on_commit(lambda: collect_recording.delay(str(conference_id)))


@receiver(signals.recording_retained)
def hold_for_collection(sender, conference_id, **kwargs):
    recording_retention.take(conference_id, recording_retention.COLLECTION)


@receiver(signals.recording_changed)
def recording_resumed(sender, conference, started, **kwargs):
    if started:
        from recordings.models import CloudRecording

        CloudRecording.objects.filter(conference_id=conference.id).update(
            status=CloudRecording.Status.PROCESSING, progress=0)


@receiver(signals.recording_composed)
def composed(sender, conference_id, **kwargs):
    _collect_later(conference_id)


@receiver(signals.conference_ended)
def conference_gone(sender, conference_id, **kwargs):
    from mind.models import RecordingHold

    if RecordingHold.objects.filter(recording_id=conference_id, holder=recording_retention.COLLECTION).exists():
        _collect_later(conference_id)
