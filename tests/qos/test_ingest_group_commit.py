"""The engine's hook `qos.ingest.receive_sample` writes samples that arrive together as one group
commit: each sender is answered only once its rows are stored; in one batch a rate-limited sample is
refused while the others are stored; a newcomer named in a sample is found by reading the members
again; a steady sender whose previous sample was written late is not refused."""

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync

from mind.models import Participant
from qos import ingest
from qos.models import QosSample

pytestmark = pytest.mark.django_db(transaction=True)


def sample(*peers):
    video = {"bitrate": 500_000, "rtt": 40, "jitter": 3, "losses": 0.1, "delay": 20, "rate": 30, "width": 640,
             "height": 360}
    return {"timestamp": time.time() * 1000, "transport": {"protocol": "udp"},
            "outgoing": {"primary": {"video": video}},
            "incoming": [{"participantId": str(peer.pk), "media": "primary", "kind": "video", **video}
                         for peer in peers]}


async def together(*calls):
    return await asyncio.gather(*(ingest.receive_sample(*call) for call in calls), return_exceptions=True)


def test_samples_arriving_together_are_stored_before_their_answers(conference, settings):
    settings.QOS_BATCH_SECONDS = 0.2  # all of them in one batch
    room, people = conference("a", "b", "c", "d")
    calls = [(p.pk, room.pk, sample(*[o for o in people if o != p])) for p in people]
    answers = async_to_sync(together)(*calls)
    assert answers == [4, 4, 4, 4]  # each: its outgoing stream and three received ones
    assert QosSample.objects.count() == 16
    assert {str(pid) for pid in QosSample.objects.values_list("participant_id", flat=True)} == {
        str(p.pk) for p in people}


def test_a_rate_limited_sample_is_refused_and_the_rest_of_its_batch_stored(conference, settings):
    settings.QOS_MIN_SAMPLE_INTERVAL = 60
    settings.QOS_BATCH_SECONDS = 0.2
    room, (alice, bob) = conference("a", "b")
    first = async_to_sync(together)((alice.pk, room.pk, sample(bob)))
    assert first == [2]
    again, other = async_to_sync(together)((alice.pk, room.pk, sample(bob)), (bob.pk, room.pk, sample(alice)))
    assert isinstance(again, ingest.SampleRefused) and again.code == "rate-limited"
    assert other == 2
    assert QosSample.objects.filter(participant_id=alice.pk).count() == 2
    assert QosSample.objects.filter(participant_id=bob.pk).count() == 2


def test_a_newcomer_is_found_by_reading_the_members_again(conference):
    room, (alice, bob) = conference("a", "b")
    assert async_to_sync(together)((alice.pk, room.pk, sample(bob))) == [2]  # members now cached
    carol = Participant.objects.create(conference=room, name="c", token_hash="x" * 32)
    assert async_to_sync(together)((alice.pk, room.pk, sample(bob, carol))) == [3]
    stranger_room, (stranger,) = conference("x")
    [refused] = async_to_sync(together)((alice.pk, room.pk, sample(stranger)))
    assert isinstance(refused, ingest.SampleRefused) and "not a participant" in refused.message


def test_a_steady_sender_is_not_refused_for_a_late_write(conference, settings):
    # One sample per 2 s allowed; the first one's slot was taken 0.3 s late (a slow batch): the next,
    # 2 s after the first was sent, is still accepted.
    settings.QOS_MIN_SAMPLE_INTERVAL = 2
    room, (alice, bob) = conference("a", "b")
    settings.QOS_BATCH_SECONDS = 0.3
    assert async_to_sync(together)((alice.pk, room.pk, sample(bob))) == [2]
    settings.QOS_BATCH_SECONDS = 0.0
    time.sleep(1.7)
    assert async_to_sync(together)((alice.pk, room.pk, sample(bob))) == [2]
    [refused] = async_to_sync(together)((alice.pk, room.pk, sample(bob)))
    assert isinstance(refused, ingest.SampleRefused) and refused.code == "rate-limited"
