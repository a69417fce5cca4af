"""Celery tasks of the summaries app. Idempotent: a summary is written once per generation."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from summaries import assistants, pipeline
from summaries.models import AssistantRun

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None, acks_late=True)
def summarize(self, summary_id: int, generation: int) -> str:
    """Makes the summary; waits (by retrying) while the transcript is incomplete."""
    limit = settings.SUMMARIES_TRANSCRIPT_RETRIES
    try:
        return pipeline.run(summary_id, generation, attempt=self.request.retries, last_try=self.request.retries >= limit)
    except pipeline.NotReady as exc:
        raise self.retry(countdown=exc.retry_after, exc=exc) from exc
    except Exception as exc:  # a bug or an outage (database): retry a few times, then say so on the summary
        if self.request.retries >= 3:
            logger.exception("summary %s failed", summary_id)
            return pipeline.fail(summary_id, generation, f"Internal error while summarising: {type(exc).__name__}")
        raise self.retry(countdown=backoff_for_errors(self.request.retries), exc=exc) from exc


def backoff_for_errors(retries: int) -> int:
    return min(120, 5 * (2 ** retries))


@shared_task(bind=True, acks_late=True, max_retries=3)
def run_assistant(self, run_id: int) -> str:
    """Runs an AI assistant over a transcript; a run that finished is not run again."""
    try:
        return assistants.run(run_id)
    except Exception as exc:
        if self.request.retries >= 3:
            logger.exception("assistant run %s failed", run_id)
            AssistantRun.objects.filter(pk=run_id).update(state="failed", completed_at=timezone.now(),
                                                          failure_reason=f"Internal error: {type(exc).__name__}")
            return "failed"
        raise self.retry(countdown=backoff_for_errors(self.request.retries), exc=exc) from exc
