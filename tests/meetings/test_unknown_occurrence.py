"""An occurrence_id the meeting does not have: 400 with Zoom's code 3000, on GET, PATCH and DELETE."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("occurrence_id", ["1", "1893456000000", "x"])
def test_unknown_occurrence_is_3000(api, create_meeting, occurrence_id):
    created = create_meeting(type=8, start_time="2031-03-02T10:00:00Z", timezone="UTC",
                             recurrence={"type": 1, "end_times": 2})
    url = f"/v2/meetings/{created['id']}?occurrence_id={occurrence_id}"
    for response in (api.get(url), api.patch(url, {"duration": 30}, format="json"), api.delete(url)):
        assert response.status_code == 400 and response.json()["code"] == 3000
        assert "occurrence_id" in response.json()["message"]
    assert len(api.get(f"/v2/meetings/{created['id']}").json()["occurrences"]) == 2
