"""Celery beat tasks of the qos app. Both are idempotent (an upsert; a delete of what is past the
retention), so a retry or a second beat changes nothing (docs/qos.md)."""

from celery import shared_task
from django.db import DatabaseError

from qos import rollup, server_view

RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": True, "max_retries": 5, "acks_late": True}


@shared_task(**RETRY)
def roll_up_minutes() -> int:
    """Beat, every minute: the per-minute roll-up of the recent minutes."""
    return rollup.roll_up()


@shared_task(**RETRY)
def expire_raw_samples() -> int:
    """Beat, hourly: raw samples older than QOS_RAW_RETENTION_HOURS are rolled up and deleted."""
    return rollup.expire_raw()


@shared_task(acks_late=True)
def collect_server_view() -> int:
    """Beat, every QOS_SERVER_VIEW_SECONDS: Janus's view of participants who send no samples.
    Not retried: the next beat collects afresh."""
    return server_view.collect()
