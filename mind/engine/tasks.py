from celery import shared_task

from mind.engine.reconcile import reconcile


@shared_task(name="mind.engine.tasks.reconcile_janus")
def reconcile_janus() -> dict:
    """Periodic (Celery beat): destroys Janus rooms and sessions the database no longer knows."""
    return reconcile()
