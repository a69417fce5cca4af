"""Raw samples expire after QOS_RAW_RETENTION_HOURS (beat task qos.tasks.expire_raw_samples); their
minutes are rolled up first, so nothing is lost even when the roll-up beat never ran; idempotent."""

from datetime import timedelta

import pytest
from django.utils.timezone import now

from qos import tasks
from qos.models import QosMinute, QosSample

pytestmark = pytest.mark.django_db


def test_old_raw_samples_go_and_their_minutes_stay(conference, raw_sample, settings):
    settings.QOS_RAW_RETENTION_HOURS = 72
    _, (alice,) = conference("alice")
    old = (now() - timedelta(hours=80)).replace(second=0, microsecond=0)
    raw_sample(alice, old + timedelta(seconds=3), bitrate_bps=200_000)
    raw_sample(alice, old + timedelta(seconds=40), bitrate_bps=400_000)
    recent = raw_sample(alice, now() - timedelta(hours=1))
    assert not QosMinute.objects.exists()  # the roll-up beat never ran for that old minute

    assert tasks.expire_raw_samples.apply().get() == 2
    assert list(QosSample.objects.values_list("pk", flat=True)) == [recent.pk]
    (minute,) = QosMinute.objects.all()
    assert (minute.minute, minute.samples, minute.bitrate_avg) == (old, 2, 300_000)

    assert tasks.expire_raw_samples.apply().get() == 0  # again: nothing more to do, nothing changed
    assert QosSample.objects.count() == 1 and QosMinute.objects.get().samples == 2


def test_the_retention_setting_decides(conference, raw_sample, settings):
    _, (alice,) = conference("alice")
    raw_sample(alice, now() - timedelta(hours=5))
    settings.QOS_RAW_RETENTION_HOURS = 6
    assert tasks.expire_raw_samples.apply().get() == 0
    settings.QOS_RAW_RETENTION_HOURS = 4
    assert tasks.expire_raw_samples.apply().get() == 1
