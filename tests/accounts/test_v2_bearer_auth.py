"""Bearer authentication on /v2: Zoom's 401 code 124 for every kind of bad token."""

import pytest

from tests.conftest import ZoomAPIClient, issue_token

pytestmark = pytest.mark.django_db


def get_me(token=None, header=None):
    client = ZoomAPIClient()
    if header or token:
        client.credentials(HTTP_AUTHORIZATION=header or f"Bearer {token}")
    return client.get("/v2/users/me")


def assert_invalid_token(response):
    assert response.status_code == 401
    assert response.json() == {"code": 124, "message": "Invalid access token."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_valid_token(make_user):
    user = make_user()
    response = get_me(issue_token(user, "user:read"))
    assert response.status_code == 200 and response.json()["email"] == user.email


def test_missing_token():
    assert_invalid_token(get_me())


def test_unknown_token():
    assert_invalid_token(get_me("no-such-token"))


def test_not_a_bearer_header(make_user):
    assert_invalid_token(get_me(header="Basic dXNlcjpwYXNz"))


def test_expired_token(make_user):
    assert_invalid_token(get_me(issue_token(make_user(), "user:read", expires_in=-1)))


def test_revoked_token_stops_working_at_once(make_user):
    from oauth2_provider.models import get_access_token_model

    user = make_user()
    raw = issue_token(user, "user:read")
    assert get_me(raw).status_code == 200
    get_access_token_model().objects.get(user=user).revoke()
    assert_invalid_token(get_me(raw))


def test_deactivated_users_tokens_stop_working(make_user):
    user = make_user()
    raw = issue_token(user, "user:read")
    user.is_active = False
    user.save()
    assert_invalid_token(get_me(raw))


def test_token_in_query_string_is_not_accepted(make_user):
    raw = issue_token(make_user(), "user:read")
    response = ZoomAPIClient().get(f"/v2/users/me?access_token={raw}")
    assert response.status_code == 401 and response.json()["code"] == 124
