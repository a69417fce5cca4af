"""Celery tasks of the Mind API. Each is idempotent: running it twice does no harm."""

from celery import shared_task

from mind import services


@shared_task(acks_late=True)
def compose_recording(conference_id: str) -> str:
    """MP4 + JPEG thumbnail + WebP preview from the stopped recording's .mjr files."""
    return services.compose_recording_media(conference_id)


@shared_task
def end_expired_conferences() -> int:
    """Ends conferences past their endingAt: sockets close with 4000, tokens die."""
    return services.end_expired_conferences()
