"""An end-to-end encrypted meeting has no summary: the server never heard it (no recording, no
transcript). Asking for one, or running an AI assistant over it, is refused with the reason (400);
nothing is queued when it ends. The same requests on an ordinary meeting are accepted."""

import pytest

from summaries.models import AssistantRun, MeetingSummary
from tests.support.meetings import Joiner

pytestmark = pytest.mark.django_db

RW = "meeting_summary:read meeting_summary:write"
REASON = "is not available in an end-to-end encrypted meeting"


@pytest.fixture
def ended(api, host, create_meeting):
    """ended(e2ee=True) -> the id of a meeting the host and a guest met in, now ended."""

    def make(e2ee=True):
        created = create_meeting(password="", settings={"encryption_type": "e2ee" if e2ee else "enhanced_encryption"})
        Joiner(host).join(created["id"])
        Joiner().join(created["id"], name="Gita Guest")
        assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json").status_code == 204
        return created["id"]

    return make


def test_a_summary_is_refused(ended, api_client, host):
    client = api_client(host, RW)
    meeting_id = ended()
    assert not MeetingSummary.objects.filter(instance__meeting_id=meeting_id).exists()
    response = client.post(f"/v2/meetings/{meeting_id}/meeting_summary", {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 300
    assert response.json()["message"].startswith("A meeting summary") and REASON in response.json()["message"]
    assert not MeetingSummary.objects.filter(instance__meeting_id=meeting_id).exists()

    plain = ended(e2ee=False)
    assert client.post(f"/v2/meetings/{plain}/meeting_summary", {}, format="json").status_code == 202


def test_an_assistant_run_is_refused(ended, api_client, host):
    client = api_client(host, RW)
    assistant = client.post("/v2/ai_assistants", {"name": "Risks", "instructions": "List the risks"}, format="json").json()
    meeting_id = ended()
    response = client.post(f"/v2/meetings/{meeting_id}/ai_assistants/{assistant['id']}/runs", {}, format="json")
    assert response.status_code == 400 and REASON in response.json()["message"]
    assert not AssistantRun.objects.exists()
