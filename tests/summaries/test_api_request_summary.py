"""POST /v2/meetings/{meetingId}/meeting_summary (on demand, options) and GET …/meeting_summary/status."""

import pytest

from summaries import pipeline
from summaries.models import MeetingSummary

pytestmark = pytest.mark.django_db

RW = "meeting_summary:write meeting_summary:read"


def test_regenerate_with_a_style_then_poll(summarised, api_client, host):
    summary = summarised()
    client = api_client(host, RW)
    path = f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary"
    response = client.post(path, {"style": "daily_standup", "word_limit": 40}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "pending" and response.json()["style"] == "daily_standup"
    assert client.get(path + "/status").json()["status"] == "pending"
    summary.refresh_from_db()
    assert pipeline.run(summary.pk, summary.generation) == "completed"
    status = client.get(path + "/status").json()
    assert status["status"] == "completed" and status["word_limit"] == 40
    body = client.get(path).json()
    # A standup is summarised per person.
    assert [d["label"] for d in body["summary_details"]] == ["Hana Host", "Gita Guest"]
    assert len(body["summary_overview"].split()) <= 41


def test_an_older_run_writes_nothing(summarised, api_client, host):
    summary = summarised()
    old_generation = summary.generation
    api_client(host, RW).post(f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary", {}, format="json")
    assert pipeline.run(summary.pk, old_generation) == "superseded"
    assert MeetingSummary.objects.get(pk=summary.pk).state == "pending"


@pytest.mark.parametrize("body, message", [
    ({"style": "poem"}, "style: Must be one of"),
    ({"word_limit": 5}, "word_limit: Must be a whole number"),
    ({"word_limit": "50"}, "word_limit: Must be a whole number"),
    ({"language": "de"}, "language: The embedded summarizer writes in the meeting's language only"),
    ({"backend": "magic"}, "backend: Must be one of"),
])
def test_bad_options_are_400(summarised, api_client, host, body, message):
    summary = summarised()
    response = api_client(host, RW).post(f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary", body,
                                         format="json")
    assert response.status_code == 400
    assert response.json()["code"] == 300 and response.json()["message"].startswith(message)


def test_failure_reason_in_status(ended_meeting, api_client, host, settings):
    settings.SUMMARIES_OPENAI_BASE_URL = ""
    instance = ended_meeting()
    client = api_client(host, RW)
    path = f"/v2/meetings/{instance.meeting_id}/meeting_summary"
    client.post(path, {"backend": "openai"}, format="json")
    summary = MeetingSummary.objects.get(instance=instance)
    assert pipeline.run(summary.pk, summary.generation) == "failed"
    status = client.get(path + "/status").json()
    assert status["status"] == "failed"
    assert "not configured" in status["failure_reason"]
