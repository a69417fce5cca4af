"""GET /auth/tokens: the caller's active tokens, with the session or a bearer token."""

import pytest
from oauth2_provider.models import get_access_token_model

from tests.conftest import ZoomAPIClient, issue_token

pytestmark = pytest.mark.django_db
AccessToken = get_access_token_model()


def test_lists_active_tokens_with_their_details(make_user, client):
    user = make_user()
    issue_token(user, "meeting:read user:read")
    issue_token(user, "recording:read", expires_in=-5)  # expired: not listed
    client.force_login(user)
    response = client.get("/auth/tokens")
    assert response.status_code == 200
    tokens = response.json()["tokens"]
    assert len(tokens) == 1
    token = tokens[0]
    assert token["scopes"] == ["meeting:read", "user:read"]
    assert token["application"]["name"] == f"test app for {user.email}"
    assert set(token) == {"id", "application", "scopes", "created", "expires", "last_used"}
    assert token["last_used"] is None


def test_bearer_token_works_and_last_used_is_recorded_once_a_minute(make_user, settings):
    user = make_user()
    raw = issue_token(user, "user:read token:manage")
    client = ZoomAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/v2/users/me").status_code == 200

    listed = client.get("/auth/tokens").json()["tokens"]
    first_use = listed[0]["last_used"]
    assert first_use is not None
    usage = AccessToken.objects.get(user=user).usage
    # Further requests inside the interval do not write again (the gate is in Redis).
    client.get("/v2/users/me")
    usage.refresh_from_db()
    assert usage.last_used_at.isoformat() == first_use


def test_needs_authentication(db):
    response = ZoomAPIClient().get("/auth/tokens")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_revoked_bearer_token_cannot_list(make_user):
    user = make_user()
    raw = issue_token(user, "user:read")
    AccessToken.objects.get(user=user).revoke()
    client = ZoomAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/auth/tokens").status_code == 401
