"""The transcript is pulled through `mind.client`, so a remote Mind works too: here HttpMind talks to
the product's own /mind/ API on a Daphne over loopback (same test database), 503 + Retry-After and
200 as HTTP answers."""

import pytest
from django.utils import timezone

from meetings.models import Instance
from mind import services as mind_services
from mind.client import HttpMind
from mind.models import Conference
from summaries import pipeline
from summaries.models import MeetingSummary
from tests.summaries.conftest import STANDUP, store_lines
from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def remote_mind(settings, mind_server):
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN
    settings.MIND_API_URL = mind_server
    return HttpMind()


@pytest.mark.usefixtures("other_workers_paused")  # the final pass queued at the stop would complete it
def test_pull_through_a_remote_mind(remote_mind, live_recorded_meeting):
    meeting, instance, ids = live_recorded_meeting()
    assert Conference.objects.filter(pk=instance.conference_id).exists()  # made over HTTP by the remote side
    remote_mind.set_transcription(instance.conference_id, True)
    remote_mind.stop_recording(instance.conference_id)
    Instance.objects.filter(pk=instance.pk).update(ended_at=timezone.now(), recording_state="stopped")
    instance.refresh_from_db()
    # Made directly, not queued: a session's Celery worker runs with the embedded engine, not this remote one.
    summary = MeetingSummary.objects.create(instance=instance, account=meeting.account)
    with pytest.raises(pipeline.NotReady) as not_ready:
        pipeline.run(summary.pk, summary.generation)
    assert not_ready.value.retry_after == mind_services.RETRY_AFTER_SECONDS  # the HTTP Retry-After header
    store_lines(instance, ids, STANDUP)
    mind_services.complete_transcription(Conference.objects.get(pk=instance.conference_id))
    assert pipeline.run(summary.pk, summary.generation) == "completed"
    summary.refresh_from_db()
    assert summary.transcript_complete and summary.transcript[2]["speaker"] == "Gita Guest"
    assert "launch date" in summary.content["overview"]
