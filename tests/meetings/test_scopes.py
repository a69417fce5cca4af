"""Scope enforcement and token checks on every meeting endpoint."""

import pytest

pytestmark = pytest.mark.django_db

# (method, path, body, scope that is enough)
ENDPOINTS = [
    ("post", "/v2/users/me/meetings", {"type": 1}, "meeting:write"),
    ("get", "/v2/users/me/meetings", None, "meeting:read"),
    ("get", "/v2/users/me/upcoming_meetings", None, "meeting:read"),
    ("get", "/v2/meetings/{id}", None, "meeting:read"),
    ("patch", "/v2/meetings/{id}", {"topic": "x"}, "meeting:write"),
    ("put", "/v2/meetings/{id}/status", {"action": "recover"}, "meeting:write"),
    ("post", "/v2/meetings/{id}/invite_links", {"attendees": [{"name": "A"}]}, "meeting:write"),
    ("get", "/v2/meetings/{id}/livestream", None, "meeting:read"),
    ("patch", "/v2/meetings/{id}/livestream", {"stream_url": "rtmp://a/b", "stream_key": "k",
                                               "page_url": "https://a"}, "meeting:write"),
    ("get", "/v2/past_meetings/{id}/instances", None, "meeting:read"),
    ("post", "/v2/meetings/{id}/sip_dialing", {}, "meeting:write:sip_dialing"),
    ("delete", "/v2/meetings/{id}", None, "meeting:write"),
]


def call(client, method, path, body):
    return getattr(client, method)(path, body, format="json") if body is not None else getattr(client, method)(path)


@pytest.mark.parametrize("method, path, body, scope", ENDPOINTS)
def test_a_token_without_the_scope_is_refused(api_client, create_meeting, host, method, path, body, scope):
    created = create_meeting()
    unrelated = api_client(host, "recording:read")
    response = call(unrelated, method, path.format(id=created["id"]), body)
    assert response.status_code == 400 and response.json()["code"] == 4711
    assert scope.split(":")[0] in response.json()["message"]


@pytest.mark.parametrize("method, path, body, scope", ENDPOINTS)
def test_the_named_scope_is_enough(api_client, create_meeting, host, method, path, body, scope):
    created = create_meeting()
    response = call(api_client(host, scope), method, path.format(id=created["id"]), body)
    assert response.status_code in (200, 201, 204) or response.json()["code"] in (3000, 3001), response.content


def test_read_scope_cannot_write(api_client, create_meeting, host):
    created = create_meeting()
    response = api_client(host, "meeting:read").patch(f"/v2/meetings/{created['id']}", {"topic": "x"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 4711


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic dXNlcjpwYXNz"])
def test_missing_or_bad_tokens_are_124(api_client, header):
    client = api_client()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/v2/users/me/meetings")
    assert response.status_code == 401 and response.json()["code"] == 124


def test_an_expired_token_is_124(api_client, host):
    from tests.conftest import issue_token

    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(host, 'meeting:read', expires_in=-10)}")
    assert client.get("/v2/users/me/meetings").json()["code"] == 124
