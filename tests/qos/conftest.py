"""Fixtures of the qos tests: the meetings settings, one engine conference with participants, and a
factory of raw sample rows at a chosen server time (for roll-up and retention)."""

import uuid

import pytest

from mind.models import Conference, Participant
from qos.models import QosSample


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
        values = {"direction": "out", "media": "primary", "kind": "video", "bitrate_bps": 500_000, "rtt_ms": 40.0,
                  "jitter_ms": 5.0, "loss_pct": 0.0, "delay_ms": 20.0, "frame_rate": 30.0, "width": 640, "height": 360,
                  **fields}
        return QosSample.objects.create(conference_id=participant.conference_id, participant_id=participant.pk,
                                        received_at=at, client_at=at, **values)

    return make
