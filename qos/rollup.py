"""Per-minute roll-up of raw samples and expiry of raw samples (both run from Celery beat).

`roll_up(now)` recomputes the minutes of the last `QOS_ROLLUP_WINDOW_MINUTES` that have ended, so a
missed beat or a slow worker costs nothing, and an upsert makes a second run change nothing.
`expire_raw(now)` rolls up, then deletes, raw samples older than `QOS_RAW_RETENTION_HOURS`
(the roll-up stays). `minute_groups` is the one aggregation both the roll-up and the
live API read (qos.reports).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Max, Min, QuerySet
from django.db.models.functions import TruncMinute
from django.utils import timezone

from qos.models import QosMinute, QosSample

KEY_FIELDS = ["conference_id", "participant_id", "minute", "source", "direction", "media", "kind"]
STAT_FIELDS = ["samples", "bitrate_min", "bitrate_avg", "bitrate_max", "rtt_min", "rtt_avg", "rtt_max",
               "jitter_min", "jitter_avg", "jitter_max", "delay_avg", "loss_min", "loss_avg", "loss_max",
               "frame_rate_min", "frame_rate_avg", "frame_rate_max", "width_max", "height_max"]


def minute_groups(samples: QuerySet) -> list[dict]:
    """Per participant, minute, source and stream kind: count, min, average and max of `samples`."""
    return list(samples.annotate(minute=TruncMinute("received_at"))
                .values("conference_id", "participant_id", "minute", "source", "direction", "media", "kind")
                .annotate(samples=Count("id"),
                          bitrate_min=Min("bitrate_bps"), bitrate_avg=Avg("bitrate_bps"), bitrate_max=Max("bitrate_bps"),
                          rtt_min=Min("rtt_ms"), rtt_avg=Avg("rtt_ms"), rtt_max=Max("rtt_ms"),
                          jitter_min=Min("jitter_ms"), jitter_avg=Avg("jitter_ms"), jitter_max=Max("jitter_ms"),
                          delay_avg=Avg("delay_ms"),
                          loss_min=Min("loss_pct"), loss_avg=Avg("loss_pct"), loss_max=Max("loss_pct"),
                          frame_rate_min=Min("frame_rate"), frame_rate_avg=Avg("frame_rate"),
                          frame_rate_max=Max("frame_rate"), width_max=Max("width"), height_max=Max("height"))
                .order_by())


def roll_up(now: datetime | None = None) -> int:
    """Upserts the minute rows of every minute in the window that has ended; returns how many."""
    end = (now or timezone.now()).replace(second=0, microsecond=0)
    return roll_up_between(end - timedelta(minutes=settings.QOS_ROLLUP_WINDOW_MINUTES), end)


def roll_up_between(start: datetime, end: datetime) -> int:
    """Upserts the minute rows of the samples received in [start, end) (whole minutes)."""
    groups = minute_groups(QosSample.objects.filter(received_at__gte=start, received_at__lt=end))
    rows = [QosMinute(**{field: group[field] for field in KEY_FIELDS + STAT_FIELDS}) for group in groups]
    QosMinute.objects.bulk_create(rows, update_conflicts=True, update_fields=STAT_FIELDS,
                                  unique_fields=["participant_id", "minute", "source", "direction", "media", "kind"])
    return len(rows)


def expire_raw(now: datetime | None = None) -> int:
    """Deletes raw samples past the retention (whole minutes); returns how many rows went.

    Their minutes are rolled up first, so a beat that was down longer than the roll-up window
    loses nothing."""
    now = now or timezone.now()
    cutoff = (now - timedelta(hours=settings.QOS_RAW_RETENTION_HOURS)).replace(second=0, microsecond=0)
    expired = QosSample.objects.filter(received_at__lt=cutoff)
    oldest = expired.aggregate(oldest=Min("received_at"))["oldest"]
    if oldest is None:
        return 0
    with transaction.atomic():
        roll_up_between(oldest.replace(second=0, microsecond=0), cutoff)
        deleted, _ = expired.delete()
    return deleted
