"""Ending a recorded meeting stops the engine's recording only once the end is committed.

No engine call runs inside the ending transaction: with a remote Mind it would be network I/O under
the meeting's row lock, and a rollback would leave the engine's recording stopped for a meeting
that still runs. The state, the recording.stopped event and the end are written together; the
engine stops the recording after commit, before the conference is deleted.
"""

import threading

import pytest
from django.db import connections
from django.db.models.signals import post_save

from meetings.actions.live import end_meeting
from meetings.models import Instance, Meeting
from mind.models import Conference

pytestmark = pytest.mark.django_db(transaction=True)


def end_is_committed(instance_pk) -> bool:
    """Whether another database connection sees the instance ended (i.e. the end has committed)."""
    seen = []

    def read():
        try:
            seen.append(Instance.objects.filter(pk=instance_pk, ended_at__isnull=False).exists())
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(30)
    return seen[0]


def test_the_engine_stops_the_recording_after_the_end_commits(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"auto_recording": "cloud"})
    joiner(host).join(created["id"])
    instance = Instance.objects.get(meeting_id=created["id"])
    assert instance.recording_state == "recording"
    assert Conference.objects.get(pk=instance.conference_id).recording_state == "started"

    committed_when_the_engine_stopped = []

    def engine_saved(sender, instance: Conference, update_fields=None, **kwargs):
        if update_fields and "recording_state" in update_fields and instance.recording_state == "stopped":
            committed_when_the_engine_stopped.append(end_is_committed(ended.pk))

    ended = instance
    post_save.connect(engine_saved, sender=Conference, weak=False)
    try:
        end_meeting(Meeting.objects.get(pk=created["id"]))
    finally:
        post_save.disconnect(engine_saved, sender=Conference)

    assert committed_when_the_engine_stopped == [True]
    instance.refresh_from_db()
    assert instance.recording_state == "stopped" and instance.ended_at is not None
