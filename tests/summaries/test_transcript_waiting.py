"""The worker waits for a complete transcript: 503 + Retry-After and 206 partial are retried; on the
last try a partial transcript is used (and said so); a transcript that was never recorded fails."""

import pytest
from django.utils import timezone

from meetings.models import Instance
from mind import services as mind_services
from mind.client import get_mind
from mind.models import Conference
from summaries import pipeline, services
from summaries.models import MeetingSummary
from tests.conftest import wait_until
from tests.summaries.conftest import STANDUP, store_lines


def end_keeping_the_conference(instance, transcribing=True):
    """The instance is over but its conference lives on (as with a remote Mind, or media retention)."""
    mind = get_mind()
    if transcribing:
        mind.set_transcription(instance.conference_id, True)
    mind.stop_recording(instance.conference_id)
    Instance.objects.filter(pk=instance.pk).update(ended_at=timezone.now(), recording_state="stopped")
    instance.refresh_from_db()


@pytest.mark.django_db
def test_not_ready_then_partial_then_complete(live_recorded_meeting):
    meeting, instance, ids = live_recorded_meeting()
    end_keeping_the_conference(instance)
    summary = services.request_summary(instance)
    assert summary.transcript is None
    with pytest.raises(pipeline.NotReady) as not_ready:  # 503 + Retry-After from the engine
        pipeline.run(summary.pk, summary.generation)
    assert not_ready.value.retry_after == mind_services.RETRY_AFTER_SECONDS
    store_lines(instance, ids, STANDUP[:4])
    with pytest.raises(pipeline.NotReady) as partial:  # 206: our backoff
        pipeline.run(summary.pk, summary.generation, attempt=2)
    assert partial.value.retry_after == pipeline.backoff(2)
    # Last try: the partial transcript is better than none.
    assert pipeline.run(summary.pk, summary.generation, attempt=10, last_try=True) == "completed"
    summary.refresh_from_db()
    assert summary.content["transcript_partial"] is True and not summary.transcript_complete
    assert len(summary.transcript) == 4


@pytest.mark.django_db
def test_never_recorded_fails_with_the_reason(api, host):
    from tests.summaries.conftest import in_future
    from tests.support.meetings import Joiner

    created = api.post("/v2/users/me/meetings", {"topic": "Chat", "type": 2, "start_time": in_future()}, format="json").json()
    Joiner(host).join(created["id"])
    instance = Instance.objects.get(meeting_id=created["id"])
    Instance.objects.filter(pk=instance.pk).update(ended_at=timezone.now())
    instance.refresh_from_db()
    summary = services.request_summary(instance)
    assert pipeline.run(summary.pk, summary.generation) == "failed"
    summary.refresh_from_db()
    assert summary.failure_reason == "The meeting was not recorded, so there is no transcript to summarise."


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_until_the_transcript_is_complete(celery_worker, live_recorded_meeting, settings):
    meeting, instance, ids = live_recorded_meeting()
    end_keeping_the_conference(instance)
    summary = services.request_summary(instance)
    wait_until(lambda: MeetingSummary.objects.get(pk=summary.pk).attempts == 0, timeout=5)
    store_lines(instance, ids, STANDUP)
    mind_services.complete_transcription(Conference.objects.get(pk=instance.conference_id))
    wait_until(lambda: MeetingSummary.objects.get(pk=summary.pk).is_done, timeout=60, message="the summary")
    summary.refresh_from_db()
    assert summary.state == "completed" and summary.transcript_complete
    assert summary.content["transcript_partial"] is False
    assert len(summary.transcript) == len(STANDUP)
