"""Literal /v2/meetings/<word> paths win over {meetingId}: they are another app's endpoint or an
unknown path (JSON 404), never "Invalid meeting ID"."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_meeting_summaries_is_the_summaries_list(api_client, host):
    host.role = host.Role.OWNER
    host.save()
    response = api_client(host, "meeting_summary:read:admin").get("/v2/meetings/meeting_summaries")
    assert response.status_code == 200 and "summaries" in response.json()


@pytest.mark.parametrize("path", ["/v2/meetings/meeting_templates", "/v2/meetings/future_list/status",
                                  "/v2/live_meetings/some_literal/events"])
def test_unknown_literal_words_are_json_404(path):
    # Not through api_client: an undocumented path is exactly what its contract check refuses.
    response = APIClient().get(path)
    assert response.status_code == 404 and response.json() == {"code": 404, "message": "Not found: no such API endpoint."}


def test_malformed_numbers_are_still_invalid_meeting_ids(api):
    response = api.get("/v2/meetings/12ab")
    assert response.status_code == 400 and response.json()["code"] == 300
