"""DELETE /v2/meetings/{meetingId}/meeting_summary."""

import pytest

from summaries.models import MeetingSummary

pytestmark = pytest.mark.django_db

WRITE = "meeting_summary:write meeting_summary:read"


def test_delete_then_gone(summarised, api_client, host):
    summary = summarised()
    client = api_client(host, WRITE)
    path = f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary"
    response = client.delete(path)
    assert response.status_code == 204
    assert not MeetingSummary.objects.exists()
    assert client.get(path).status_code == 404
    assert client.delete(path).status_code == 404


def test_scope_and_isolation(summarised, api_client, host, stranger):
    summary = summarised()
    path = f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary"
    assert api_client(host, "meeting_summary:read").delete(path).json()["code"] == 4711
    assert api_client(stranger, "meeting_summary:write meeting_summary:write:admin").delete(path).status_code == 404
    assert MeetingSummary.objects.count() == 1
