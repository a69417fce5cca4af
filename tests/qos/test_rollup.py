"""The per-minute roll-up (beat task qos.tasks.roll_up_minutes): min/avg/max per participant, minute
and stream; only ended minutes; a second run, or a retry, changes nothing; a late sample updates its minute."""

from datetime import datetime, timedelta, timezone

import pytest
from django.utils.timezone import now as django_now

from qos import rollup, tasks
from qos.models import QosMinute

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def rows():
    return {(str(m.participant_id), m.minute, m.direction, m.kind): m for m in QosMinute.objects.all()}


def test_each_ended_minute_is_rolled_up_per_participant_and_stream(conference, raw_sample):
    _, (alice, bob) = conference("alice", "bob")
    for second, bitrate, loss in ((5, 400_000, 0.0), (25, 600_000, 2.0), (45, 800_000, 7.0)):
        raw_sample(alice, NOON + timedelta(seconds=second), bitrate_bps=bitrate, loss_pct=loss)
    raw_sample(alice, NOON + timedelta(seconds=30), kind="audio", bitrate_bps=32_000, frame_rate=48000)
    raw_sample(bob, NOON + timedelta(minutes=1, seconds=10), direction="in", jitter_ms=12)
    raw_sample(bob, NOON + timedelta(minutes=2, seconds=1))  # the minute still running: not yet

    assert rollup.roll_up(NOON + timedelta(minutes=2, seconds=30)) == 3
    found = rows()
    assert set(found) == {(str(alice.pk), NOON, "out", "video"), (str(alice.pk), NOON, "out", "audio"),
                          (str(bob.pk), NOON + timedelta(minutes=1), "in", "video")}
    video = found[(str(alice.pk), NOON, "out", "video")]
    assert video.samples == 3
    assert (video.bitrate_min, video.bitrate_avg, video.bitrate_max) == (400_000, 600_000, 800_000)
    assert (video.loss_min, video.loss_avg, video.loss_max) == (0.0, 3.0, 7.0)
    assert video.conference_id == alice.conference_id and video.source == "client"
    assert found[(str(alice.pk), NOON, "out", "audio")].frame_rate_avg == 48000
    assert found[(str(bob.pk), NOON + timedelta(minutes=1), "in", "video")].jitter_max == 12


def test_the_beat_task_is_idempotent_and_a_late_sample_updates_its_minute(conference, raw_sample):
    _, (alice,) = conference("alice")
    ended = django_now().replace(second=0, microsecond=0) - timedelta(minutes=2)  # well inside the window
    raw_sample(alice, ended + timedelta(seconds=10), bitrate_bps=100_000)
    assert tasks.roll_up_minutes.apply().get() == 1
    first = {key: (m.samples, m.bitrate_avg) for key, m in rows().items()}
    assert tasks.roll_up_minutes.apply().get() == 1  # the same minute again: the same row, unchanged
    assert {key: (m.samples, m.bitrate_avg) for key, m in rows().items()} == first
    assert QosMinute.objects.count() == 1

    raw_sample(alice, ended + timedelta(seconds=50), bitrate_bps=300_000)  # arrived after the first run
    tasks.roll_up_minutes.apply().get()
    (minute,) = QosMinute.objects.all()
    assert (minute.samples, minute.bitrate_avg, minute.bitrate_max) == (2, 200_000, 300_000)


def test_minutes_older_than_the_window_are_left_alone(conference, raw_sample, settings):
    settings.QOS_ROLLUP_WINDOW_MINUTES = 10
    _, (alice,) = conference("alice")
    raw_sample(alice, NOON)
    assert rollup.roll_up(NOON + timedelta(minutes=11)) == 0
    assert rollup.roll_up(NOON + timedelta(minutes=10)) == 1
