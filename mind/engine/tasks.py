import logging

from celery import shared_task

from mind.engine import final_pass, sip_process, streaming
from mind.engine.reconcile import reconcile

logger = logging.getLogger(__name__)


@shared_task(name="mind.engine.tasks.reconcile_janus")
def reconcile_janus() -> dict:
    """Periodic (Celery beat): destroys Janus rooms and sessions the database no longer knows."""
    return reconcile()


@shared_task(name="mind.engine.tasks.reconcile_streamings")
def reconcile_streamings() -> dict:
    """Periodic (Celery beat): streamings without a live streamer are picked up again, forwarders
    nobody reads are stopped (the streamer process stops its own pushes of deleted streamings)."""
    return streaming.reconcile()


@shared_task(name="mind.engine.tasks.reconcile_sip_calls")
def reconcile_sip_calls() -> int:
    """Periodic (Celery beat): participants of SIP calls whose sip process died (and has not started
    again, which reconciles them itself) go offline."""
    return sip_process.reconcile_calls()


@shared_task(name="mind.engine.tasks.finish_recording_audio", bind=True, acks_late=True, max_retries=5)
def finish_recording_audio(self, conference_id: str, segments: list, transcribe: bool) -> dict:
    """The final pass after a recording stop: per-participant M4A files and, when transcription
    was on, the final transcript (mind.engine.final_pass; idempotent and resumable). After the
    last retry the live utterances stand as the transcript, which is then complete."""
    try:
        return final_pass.run(conference_id, segments, transcribe)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            logger.exception("final pass of conference %s failed for good; keeping the live transcript", conference_id)
            return {"stored": final_pass.give_up(conference_id, segments) if transcribe else "failed"}
        raise self.retry(exc=exc, countdown=10 * 2 ** self.request.retries) from exc
