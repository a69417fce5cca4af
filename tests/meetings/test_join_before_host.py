"""Joining: join_before_host (and jbh_time) decide whether attendees wait for the host."""

from datetime import datetime, timedelta, timezone

import pytest

from meetings.models import Instance

pytestmark = pytest.mark.django_db


def at(minutes: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_without_it_attendees_wait_until_the_host_arrives(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"join_before_host": False})
    guest = joiner()
    answer = guest.join(created["id"], name="Early bird")
    assert answer["state"] == "waiting_for_host" and answer["conference"] is None
    assert not Instance.objects.filter(meeting_id=created["id"]).exists()  # nothing started

    joiner(host).join(created["id"])
    polled = guest.status(created["id"])
    assert polled["state"] == "admitted" and polled["conference"]["instance_uuid"] == created["uuid"]


def test_waiting_for_host_then_waiting_room(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"join_before_host": False, "waiting_room": True})
    guest = joiner()
    guest.join(created["id"], name="Early bird")
    joiner(host).join(created["id"])
    assert guest.status(created["id"])["state"] == "waiting_room"


def test_with_it_attendees_start_the_meeting(create_meeting, joiner):
    created = create_meeting(password="", settings={"join_before_host": True, "jbh_time": 0})
    answer = joiner().join(created["id"], name="Early bird")
    assert answer["state"] == "admitted" and answer["role"] == "attendee"
    assert Instance.objects.get(meeting_id=created["id"]).ended_at is None


def test_jbh_time_limits_how_early(create_meeting, joiner):
    later = create_meeting(password="", start_time=at(30), settings={"join_before_host": True, "jbh_time": 10})
    assert joiner().join(later["id"], name="Too early")["state"] == "waiting_for_host"
    soon = create_meeting(password="", start_time=at(8), settings={"join_before_host": True, "jbh_time": 10})
    assert joiner().join(soon["id"], name="Just in time")["state"] == "admitted"


def test_once_the_host_has_been_in_attendees_can_join(create_meeting, host, joiner):
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    assert joiner().join(created["id"], name="Late")["state"] == "admitted"
