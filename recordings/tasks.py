"""Celery tasks of the recordings app. Each is idempotent (acks late: a killed worker's task runs again)."""

from celery import shared_task

from mind.client import MindError
from recordings import collection, services, storage
from recordings.remote import RetryLater

# A day of tries at the slowest retry interval: the transcript's final pass may take a while.
MAX_COLLECTION_RETRIES = 2880


@shared_task(bind=True, acks_late=True, max_retries=MAX_COLLECTION_RETRIES)
def collect_recording(self, conference_id: str) -> str:
    """Stores the recording's files; tries again while the engine composes or transcribes (after a
    remote Mind's Retry-After), and with backoff while a remote Mind cannot be reached."""
    try:
        outcome = collection.collect(conference_id)
    except RetryLater as later:
        raise self.retry(countdown=later.seconds) from None
    except MindError as exc:  # the remote Mind is unreachable or failed: later, with backoff
        raise self.retry(countdown=min(600, 5 * 2 ** min(self.request.retries, 7)), exc=exc) from None
    if outcome in collection.RETRY_SECONDS:
        raise self.retry(countdown=collection.RETRY_SECONDS[outcome])
    return outcome


@shared_task
def collect_outstanding() -> int:
    """Beat: collects every recording still held for collection (a lost wake-up costs minutes, not files)."""
    storage.remove_stale_staging()
    held = collection.outstanding()
    for conference_id in held:
        collect_recording.delay(conference_id)
    return len(held)


@shared_task
def empty_trash() -> int:
    """Beat: deletes for good what has been in the trash longer than RECORDINGS_TRASH_DAYS, and
    trashes recordings past their auto-delete date."""
    return services.empty_trash() + services.auto_delete_due()
