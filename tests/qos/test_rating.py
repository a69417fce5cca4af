"""Live rating (qos.rating): good / fair / poor from loss, jitter and RTT, worse at once, better only
well below the thresholds (hysteresis); a change is stored, announced with `qos.signals.rating_changed`
after the commit, and told to that person and the meeting's hosts as a `confer.quality` message."""

import asyncio
import json
import time
import uuid
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from meetings.models import Instance, Meeting
from meetings.models import Participant as Person
from mind.models import Conference, Participant
from mind.realtime import notifications
from qos import ingest, rating
from qos.models import QosRating
from qos.signals import rating_changed

pytestmark = pytest.mark.django_db


def figures(loss=0.0, jitter=0.0, rtt=0.0):
    return {"loss": loss, "jitter": jitter, "rtt": rtt}


@pytest.mark.parametrize("current, measured, expected", [
    ("good", figures(), "good"),
    ("good", figures(loss=2.0), "fair"),
    ("good", figures(loss=8.0), "poor"),  # straight down
    ("good", figures(jitter=61), "poor"),
    ("good", figures(rtt=350), "fair"),
    ("poor", figures(loss=6.0), "poor"),  # below 8 % but not below 5.6 %: stays poor
    ("poor", figures(loss=5.0), "fair"),
    ("poor", figures(loss=0.5), "good"),
    ("fair", figures(loss=1.5), "fair"),  # below 2 % but not below 1.4 %
    ("fair", figures(loss=1.0, jitter=25), "fair"),  # jitter above 0.7 * 30 ms
    ("fair", figures(loss=1.0, jitter=20, rtt=200), "good"),
])
def test_thresholds_with_hysteresis(current, measured, expected):
    assert rating.rate(measured, current) == expected


def row(direction, losses=0.0, jitter=0.0, rtt=0.0, peer=None):
    return {"direction": direction, "losses": losses, "jitter": jitter, "rtt": rtt, "peer_id": peer}


def test_loss_from_one_bad_sender_is_not_the_receivers_connection():
    one_bad_sender = [row("out", 0.5), row("in", 15.0, peer="a"), row("in", 0.0, peer="b")]
    assert rating.connection_figures(one_bad_sender)["loss"] == 0.5
    every_stream_lossy = [row("out", 0.5), row("in", 15.0, peer="a"), row("in", 9.0, peer="b")]
    assert rating.connection_figures(every_stream_lossy)["loss"] == 9.0
    assert rating.connection_figures([row("out", rtt=420), row("in", jitter=70, peer="a")]) == figures(0.0, 70, 420)


def stream(loss):
    return {"bitrate": 500_000, "rtt": 40, "jitter": 3, "losses": loss, "delay": 0, "rate": 30, "width": 640, "height": 360}


def sample(loss):
    return {"timestamp": time.time() * 1000, "outgoing": {"primary": {"video": stream(loss)}}}


@pytest.fixture
def call(settings, make_user):
    """A meeting whose instance runs in a real engine conference: the host Hana, and Bob."""
    room = Conference.objects.create(name="rated", application_id=settings.MIND_APPLICATION_ID)
    hana, bob = (Participant.objects.create(conference=room, name=n, token_hash=uuid.uuid4().hex) for n in ("Hana", "Bob"))
    host = make_user(email="hana@example.com")
    meeting = Meeting.objects.create(account_id=host.account_id, host=host, topic="rated", type=2, start_time=timezone.now())
    instance = Instance.objects.create(meeting=meeting, started_at=timezone.now(), conference_id=str(room.pk))
    for engine, role in ((hana, Person.Role.HOST), (bob, Person.Role.ATTENDEE)):
        Person.objects.create(meeting=meeting, instance=instance, name=engine.name, role=role,
                              status=Person.Status.IN_MEETING, media_participant_id=str(engine.pk), joined_at=timezone.now())
    return room, hana, bob


def listen(participant) -> tuple:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(notifications.participant_group(participant.pk), channel)
    return layer, channel


def received_instructions(layer, channel) -> list[dict]:
    async def drain():
        found = []
        while True:
            try:
                event = await asyncio.wait_for(layer.receive(channel), 1.0)
            except asyncio.TimeoutError:
                return found
            found.append(json.loads(event["notification"]["resource"]["text"]))

    return async_to_sync(drain)()


@pytest.mark.django_db(transaction=True)
def test_a_change_is_stored_announced_after_commit_and_told_to_the_person_and_the_host(call):
    room, hana, bob = call
    heard = []
    receiver = lambda sender, **event: heard.append(event)  # noqa: E731
    rating_changed.connect(receiver)
    to_bob, to_hana = listen(bob), listen(hana)
    try:
        ingest.accept_sample(bob.pk, room.pk, sample(loss=0.0))  # good, as it starts: no change
        assert heard == [] and rating.current(bob.pk) == "good"
        assert not QosRating.objects.exists()  # nothing changed, nothing written
        with transaction.atomic():
            ingest.accept_sample(bob.pk, room.pk, sample(loss=12.0))
            assert heard == []  # nothing before the commit
    finally:
        rating_changed.disconnect(receiver)
    assert [(e["participant_id"], e["rating"], e["previous"]) for e in heard] == [(str(bob.pk), "poor", "good")]
    assert QosRating.objects.get(participant_id=bob.pk).rating == "poor" and rating.current(bob.pk) == "poor"
    expected = {"type": "confer.quality", "participantId": str(bob.pk), "rating": "poor", "name": "Bob"}
    assert received_instructions(*to_bob) == [expected]
    assert received_instructions(*to_hana) == [expected]


def test_the_rating_is_kept_per_participant_and_survives_a_cache_loss(call):
    room, hana, bob = call
    ingest.accept_sample(bob.pk, room.pk, sample(loss=9.0))
    ingest.accept_sample(hana.pk, room.pk, sample(loss=0.0))
    assert (rating.current(bob.pk), rating.current(hana.pk)) == ("poor", "good")
    assert QosRating.objects.get(participant_id=bob.pk).changed_at > timezone.now() - timedelta(minutes=1)
    cache.delete(f"qos:rating:{bob.pk}")  # Redis lost it: the stored change still counts
    assert ingest.accept_sample(bob.pk, room.pk, sample(loss=6.0)) and rating.current(bob.pk) == "poor"
