from celery import shared_task

from mind.engine import streaming
from mind.engine.reconcile import reconcile


@shared_task(name="mind.engine.tasks.reconcile_janus")
def reconcile_janus() -> dict:
    """Periodic (Celery beat): destroys Janus rooms and sessions the database no longer knows."""
    return reconcile()


@shared_task(name="mind.engine.tasks.reconcile_streamings")
def reconcile_streamings() -> dict:
    """Periodic (Celery beat): streamings without a live streamer are picked up again, forwarders
    nobody reads are stopped (the streamer process stops its own pushes of deleted streamings)."""
    return streaming.reconcile()
