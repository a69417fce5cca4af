"""Celery beat tasks of the qos app; both idempotent (docs/qos.md)."""

from celery import shared_task

from qos import rollup


@shared_task
def roll_up_minutes() -> int:
    """Beat, every minute: the per-minute roll-up of the recent minutes (an upsert)."""
    return rollup.roll_up()


@shared_task
def expire_raw_samples() -> int:
    """Beat, hourly: raw samples older than QOS_RAW_RETENTION_HOURS go; the roll-up stays."""
    return rollup.expire_raw()
