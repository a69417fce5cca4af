"""Per-minute roll-up of raw samples and expiry of raw samples (both run from Celery beat).

`roll_up(now)` recomputes the minutes of the last `QOS_ROLLUP_WINDOW_MINUTES` that have ended, so a
missed beat or a slow worker costs nothing: an upsert makes it idempotent. `expire_raw(now)` deletes
raw samples older than `QOS_RAW_RETENTION_HOURS` (the roll-up stays).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, Max
from django.db.models.functions import TruncMinute
from django.utils import timezone

from qos.models import QosMinute, QosSample

ROLLED_FIELDS = ["samples", "bitrate_avg", "bitrate_max", "rtt_avg", "rtt_max", "jitter_avg", "jitter_max",
                 "loss_avg", "loss_max", "frame_rate_avg", "width_max", "height_max"]


def roll_up(now: datetime | None = None) -> int:
    """Upserts the minute rows of every minute in the window that has ended; returns how many."""
    now = now or timezone.now()
    end = now.replace(second=0, microsecond=0)
    start = end - timedelta(minutes=settings.QOS_ROLLUP_WINDOW_MINUTES)
    groups = (QosSample.objects.filter(received_at__gte=start, received_at__lt=end)
              .annotate(minute=TruncMinute("received_at"))
              .values("conference_id", "participant_id", "minute", "direction", "media", "kind")
              .annotate(n=Count("id"), bitrate_avg=Avg("bitrate_bps"), bitrate_max=Max("bitrate_bps"),
                        rtt_avg=Avg("rtt_ms"), rtt_max=Max("rtt_ms"), jitter_avg=Avg("jitter_ms"),
                        jitter_max=Max("jitter_ms"), loss_avg=Avg("loss_pct"), loss_max=Max("loss_pct"),
                        frame_rate_avg=Avg("frame_rate"), width_max=Max("width"), height_max=Max("height"))
              .order_by())
    rows = [QosMinute(conference_id=g["conference_id"], participant_id=g["participant_id"], minute=g["minute"],
                      direction=g["direction"], media=g["media"], kind=g["kind"], samples=g["n"],
                      **{field: g[field] for field in ROLLED_FIELDS if field != "samples"})
            for g in groups]
    QosMinute.objects.bulk_create(rows, update_conflicts=True, update_fields=ROLLED_FIELDS,
                                  unique_fields=["participant", "minute", "direction", "media", "kind"])
    return len(rows)


def expire_raw(now: datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _ = QosSample.objects.filter(
        received_at__lt=now - timedelta(hours=settings.QOS_RAW_RETENTION_HOURS)).delete()
    return deleted
