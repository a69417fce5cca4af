"""A recorded meeting ends → the Celery worker (real broker) writes its summary with the embedded backend."""

import pytest

from summaries import pipeline
from summaries.models import MeetingSummary
from tests.conftest import wait_until
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db(transaction=True)


def finished(instance):
    summary = MeetingSummary.objects.filter(instance=instance).first()
    return summary is not None and summary.is_done


def test_meeting_end_produces_a_summary(celery_worker, ended_meeting, host):
    Subscription.objects.create(account=host.account, url="http://127.0.0.1:9/hook", events=["meeting.summary_completed"], status="active")
    instance = ended_meeting()
    wait_until(lambda: finished(instance), timeout=60, message="the summary")
    summary = MeetingSummary.objects.get(instance=instance)
    assert summary.state == "completed", summary.failure_reason
    content = summary.content
    assert content["title"] == "Meeting summary for Website relaunch"
    assert "launch date" in content["overview"]
    tell, send = content["next_steps"]
    # "Gita can you tell …" names the addressee; "I'll send …" is the speaker's own commitment.
    assert tell == {"text": "Gita Guest will tell the newsletter team about the new date by friday.",
                    "owner": "Gita Guest", "due": "by friday"}
    assert send == {"text": "Gita Guest will send the updated budget sheet to finance tomorrow.",
                    "owner": "Gita Guest", "due": "tomorrow"}
    assert any("march twenty fourth" in d for d in content["decisions"])
    assert summary.used_backend == "embedded"
    assert summary.transcript_complete
    assert [line["speaker"] for line in summary.transcript[:3]] == ["Hana Host", "Hana Host", "Gita Guest"]
    delivery = Delivery.objects.get(event="meeting.summary_completed")
    assert delivery.body["payload"]["object"]["meeting_uuid"] == instance.uuid


def test_running_again_changes_nothing(celery_worker, ended_meeting):
    instance = ended_meeting()
    wait_until(lambda: finished(instance), timeout=60, message="the summary")
    summary = MeetingSummary.objects.get(instance=instance)
    before = (summary.content, summary.completed_at, summary.modified_at)
    assert pipeline.run(summary.pk, summary.generation) == "completed"
    summary.refresh_from_db()
    assert (summary.content, summary.completed_at, summary.modified_at) == before


def test_an_unrecorded_meeting_gets_no_summary(celery_worker, api, host):
    from tests.summaries.conftest import in_future
    from tests.support.meetings import Joiner

    created = api.post("/v2/users/me/meetings", {"topic": "Quick chat", "type": 2, "start_time": in_future()},
                       format="json").json()
    Joiner(host).join(created["id"])
    assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json").status_code == 204
    assert not MeetingSummary.objects.exists()


def test_summaries_off_for_the_meeting(celery_worker, live_recorded_meeting, api):
    from summaries import services

    meeting, instance, ids = live_recorded_meeting()
    services.set_meeting_auto_summary(meeting, False)
    assert api.put(f"/v2/meetings/{meeting.pk}/status", {"action": "end"}, format="json").status_code == 204
    assert not MeetingSummary.objects.exists()
