"""Input that echoes back into an error message may hold a lone surrogate ("\\ud800" in the JSON):
the answer is Zoom's 400, not a 500 from the JSON renderer (found by the fuzz test)."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_lone_surrogate_in_a_choice_is_a_400(api, create_meeting):
    created = create_meeting()
    response = api.generic("PUT", f"/v2/meetings/{created['id']}/status", '{"action": "\\ud800"}',
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == 300
