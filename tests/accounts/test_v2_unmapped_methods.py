"""A /v2 view's scope map is exhaustive: HEAD needs GET's scope, and a method the map does not name
is refused (never let through without a scope check).

HEAD and OPTIONS answers have no operation in the Zoom contract (HEAD has no body at all), so these
requests go through DRF's plain client; their status is what is asserted.
"""

import pytest
from rest_framework.test import APIClient

from tests.conftest import issue_token

pytestmark = pytest.mark.django_db


def bearer(user, scope):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, scope)}")
    return client


def test_head_without_the_scope_is_refused(make_user, api_client):
    user = make_user()
    meeting_id = api_client(user, "meeting:write").post("/v2/users/me/meetings", {"type": 1, "topic": "x"},
                                                        format="json").json()["id"]
    wrong = bearer(user, "user:read")
    assert wrong.head(f"/v2/meetings/{meeting_id}").status_code == 400
    assert wrong.head("/v2/users/me/meetings").status_code == 400
    assert bearer(user, "meeting:read").head("/v2/users/me").status_code == 400


def test_head_with_the_get_scope_is_allowed(make_user):
    assert bearer(make_user(), "user:read").head("/v2/users/me").status_code == 200


def test_a_method_outside_the_scope_map_is_refused(make_user):
    client = bearer(make_user(), "user:read user:read:admin meeting:read meeting:write")
    options = client.options("/v2/users/me")
    assert options.status_code == 405 and options.json()["code"] == 405
    assert client.put("/v2/users/me", {}, format="json").status_code == 405
    assert client.generic("TRACE", "/v2/users/me").status_code == 405


def test_views_with_any_of_scopes_refuse_unmapped_methods_too(make_user, api_client):
    user = make_user()
    meeting_id = api_client(user, "meeting:write").post("/v2/users/me/meetings", {"type": 1, "topic": "x"},
                                                        format="json").json()["id"]
    client = bearer(user, "user:read")
    for path in (f"/v2/meetings/{meeting_id}/sip_dialing", f"/v2/live_meetings/{meeting_id}/events"):
        assert client.options(path).status_code == 405, path
        assert client.head(path).status_code == 405, path
