"""Helpers of the meetings tests (plain functions; the fixtures are in conftest.py)."""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Instance, Meeting, Participant
from mind.client import get_mind


def event(api, meeting_id, method, **params):
    body = {"method": method, **({"params": params} if params else {})}
    return api.patch(f"/v2/live_meetings/{meeting_id}/events", body, format="json")


def act(session, meeting_id, target, action):
    return session.post(f"/j/{meeting_id}/participants/{target.answer['media_participant_id']}/{action}",
                        ticket=session.ticket)


def engine_role(target):
    return get_mind().get_participant(target.answer["conference"]["id"], target.answer["media_participant_id"])["role"]


def run_instance(meeting_id: int, uuid: str | None = None, minutes: int = 30, names=("Ann", "Bob"),
                 days_ago: int = 0) -> Instance:
    """A finished instance with participants, as the join service leaves it."""
    meeting = Meeting.objects.get(pk=meeting_id)
    started = timezone.now() - timedelta(days=days_ago, minutes=minutes + 5)
    instance = Instance.objects.create(meeting=meeting, started_at=started, ended_at=started + timedelta(minutes=minutes),
                                       **({"uuid": uuid} if uuid else {}))
    for i, name in enumerate(names):
        Participant.objects.create(meeting=meeting, instance=instance, name=name, status=Participant.Status.LEFT,
                                   joined_at=started + timedelta(minutes=i), left_at=started + timedelta(minutes=10 + i))
    return instance
