"""Ending a recorded meeting never calls the engine inside the ending transaction.

With a remote Mind an engine call is network I/O, under whatever row lock the end holds, and a
rollback would leave the engine's recording stopped for a meeting that still runs. Ending for
everyone (API, room control) stops the recording first, engine then its own short transaction, as
the recording control does, so the end's hooks read the closed recording. The last one out ends the
meeting from under the meeting's lock: the stopped state is written with the end, and the engine
stops the recording after commit.
"""

import threading

import pytest
from django.db import connections
from django.db.models.signals import post_save

from meetings.actions.live import end_meeting
from meetings.models import Instance, Meeting
from mind.models import Conference

pytestmark = pytest.mark.django_db(transaction=True)


def committed(query) -> object:
    """`query()` run on another database connection: what is committed right now."""
    seen = []

    def read():
        try:
            seen.append(query())
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(30)
    return seen[0]


@pytest.fixture
def recorded_meeting(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"auto_recording": "cloud"})
    session = joiner(host)
    session.join(created["id"])
    instance = Instance.objects.get(meeting_id=created["id"])
    assert instance.recording_state == "recording"
    assert Conference.objects.get(pk=instance.conference_id).recording_state == "started"
    return created, session, instance


def test_ending_for_everyone_stops_the_recording_before_the_end(recorded_meeting):
    created, _, instance = recorded_meeting
    seen_at_the_end = []

    def instance_saved(sender, instance: Instance, update_fields=None, **kwargs):
        if update_fields and "ended_at" in update_fields:
            seen_at_the_end.append(committed(lambda: (
                Instance.objects.get(pk=instance.pk).recording_state,
                Conference.objects.get(pk=instance.conference_id).recording_state)))

    post_save.connect(instance_saved, sender=Instance, weak=False)
    try:
        end_meeting(Meeting.objects.get(pk=created["id"]))
    finally:
        post_save.disconnect(instance_saved, sender=Instance)

    # When the end is written, the stop (engine and state) is already committed.
    assert seen_at_the_end == [("stopped", "stopped")]
    instance.refresh_from_db()
    assert instance.recording_state == "stopped" and instance.ended_at is not None


def test_the_last_one_out_stops_the_recording_after_the_end_commits(recorded_meeting):
    created, host_session, instance = recorded_meeting
    committed_when_the_engine_stopped = []

    def conference_saved(sender, instance: Conference, update_fields=None, **kwargs):
        if update_fields and "recording_state" in update_fields and instance.recording_state == "stopped":
            committed_when_the_engine_stopped.append(committed(
                lambda: Instance.objects.filter(pk=ended.pk, ended_at__isnull=False, recording_state="stopped").exists()))

    ended = instance
    post_save.connect(conference_saved, sender=Conference, weak=False)
    try:
        answer = host_session.post(f"/j/{created['id']}/leave", ticket=host_session.ticket)
    finally:
        post_save.disconnect(conference_saved, sender=Conference)

    assert answer.status_code == 200 and answer.json()["state"] == "ended"
    assert committed_when_the_engine_stopped == [True]
