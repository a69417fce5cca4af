"""Fixtures of the qos tests: the meetings settings, engine conferences with participants, meetings
with an instance and people in it (as the dashboard reads them), and a factory of raw sample rows
at a chosen server time."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from meetings.models import Instance, Meeting
from meetings.models import Participant as Person
from mind.models import Conference, Participant
from qos.models import QosSample

DASHBOARD = "dashboard_meetings:read:admin"


@pytest.fixture(autouse=True)
def qos_settings(fast_password_hashing, mind_application, settings):
    settings.QOS_MIN_SAMPLE_INTERVAL = 0  # the rate limit has its own test
    return settings


@pytest.fixture
def conference(db):
    """conference(*names) -> (conference, [participants]) in the engine."""

    def make(*names):
        room = Conference.objects.create(name="qos", application_id=uuid.uuid4())
        return room, [Participant.objects.create(conference=room, name=name, token_hash=uuid.uuid4().hex)
                      for name in names]

    return make


@pytest.fixture
def raw_sample(db):
    """raw_sample(participant, at, **fields) -> a stored QosSample row (an outgoing video stream by default)."""

    def make(participant, at, **fields):
        """`participant`: an engine Participant, or a meeting's Person (its engine id and conference)."""
        if isinstance(participant, Person):
            conference_id, participant_id = participant.instance.conference_id, participant.media_participant_id
        else:
            conference_id, participant_id = participant.conference_id, participant.pk
        values = {"direction": "out", "media": "primary", "kind": "video", "bitrate_bps": 500_000, "rtt_ms": 40.0,
                  "jitter_ms": 5.0, "loss_pct": 0.0, "delay_ms": 20.0, "frame_rate": 30.0, "width": 640, "height": 360,
                  **fields}
        return QosSample.objects.create(conference_id=conference_id, participant_id=participant_id,
                                        received_at=at, client_at=at, **values)

    return make


@pytest.fixture
def admin(make_user):
    """An account owner (the dashboard covers the whole account)."""
    return make_user(email="owner@example.com", display_name="Olga Owner", role="owner")


@pytest.fixture
def dashboard(api_client, admin):
    """The owner's /v2 client with the dashboard scope."""
    return api_client(admin, DASHBOARD)


@pytest.fixture
def live_meeting(db):
    """live_meeting(host, names=("Hana", "Bob"), ended=False, topic=...) -> namespace(meeting, instance, people).

    The first person is the host; each person has an engine participant id in the instance's conference."""

    def make(host, names=("Hana", "Bob"), ended=False, topic="Weekly sync", started=None):
        started = started or timezone.now() - timedelta(minutes=30)
        meeting = Meeting.objects.create(account_id=host.account_id, host=host, topic=topic, type=2, start_time=started)
        instance = Instance.objects.create(meeting=meeting, started_at=started, conference_id=str(uuid.uuid4()),
                                           ended_at=started + timedelta(minutes=20) if ended else None)
        people = [Person.objects.create(
            meeting=meeting, instance=instance, user=host if index == 0 else None, name=name,
            role=Person.Role.HOST if index == 0 else Person.Role.ATTENDEE,
            status=Person.Status.LEFT if ended else Person.Status.IN_MEETING, media_participant_id=str(uuid.uuid4()),
            joined_at=started + timedelta(seconds=index), left_at=started + timedelta(minutes=20) if ended else None)
            for index, name in enumerate(names)]
        return SimpleNamespace(meeting=meeting, instance=instance, people=people)

    return make
