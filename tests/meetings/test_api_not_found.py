"""Unknown /v2 paths answer Zoom's JSON error body, not an HTML page."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_unknown_v2_paths_are_json_404():
    # Not through api_client: an undocumented path is exactly what its contract check refuses.
    response = APIClient().get("/v2/no/such/endpoint")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"code": 404, "message": "Not found: no such API endpoint."}
