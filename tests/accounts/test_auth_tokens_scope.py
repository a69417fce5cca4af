"""/auth/tokens and /auth/token/revoke by another token's id need the dedicated `token:manage`
scope: an ordinary API token (say, a read-only integration's) cannot list or revoke its user's
other tokens. A token may always revoke itself. The signed-in session keeps managing tokens."""

import pytest
from oauth2_provider.models import get_access_token_model

from tests.conftest import ZoomAPIClient, issue_token

pytestmark = pytest.mark.django_db
AccessToken = get_access_token_model()


def bearer_client(raw):
    client = ZoomAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_listing_tokens_with_a_user_read_token_is_refused(make_user):
    user = make_user()
    response = bearer_client(issue_token(user, "user:read")).get("/auth/tokens")
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    assert "token:manage" in response.json()["message"]


def test_revoking_another_token_with_a_user_read_token_is_refused(make_user):
    user = make_user()
    other = issue_token(user, "meeting:read")
    other_id = AccessToken.objects.get(user=user).pk
    attacker = issue_token(user, "user:read")
    response = bearer_client(attacker).post("/auth/token/revoke", {"id": other_id}, format="json")
    assert response.status_code == 403 and response.json()["error"] == "insufficient_scope"
    assert bearer_client(other).get("/v2/users/me").status_code == 400  # still valid (4711: no user:read)


def test_the_dedicated_scope_lists_and_revokes(make_user):
    user = make_user()
    victim = issue_token(user, "user:read")
    victim_id = AccessToken.objects.get(user=user).pk
    manager = bearer_client(issue_token(user, "token:manage"))
    assert victim_id in [t["id"] for t in manager.get("/auth/tokens").json()["tokens"]]
    assert manager.post("/auth/token/revoke", {"id": victim_id}, format="json").status_code == 200
    assert bearer_client(victim).get("/v2/users/me").status_code == 401


def test_a_token_may_always_revoke_itself(make_user):
    raw = issue_token(make_user(), "user:read")
    client = bearer_client(raw)
    assert client.post("/auth/token/revoke", {}, format="json").status_code == 200
    assert client.get("/v2/users/me").status_code == 401


def test_token_manage_is_never_granted_by_default(make_user, make_app, client):
    from tests.accounts.conftest import basic

    owner = make_user()
    app, secret = make_app(owner, kind="server")
    response = client.post(f"/oauth/token?grant_type=account_credentials&account_id={owner.account.public_id}",
                           HTTP_AUTHORIZATION=basic(app.client_id, secret)["Authorization"])
    assert response.status_code == 200
    assert "token:manage" not in response.json()["scope"].split()
    explicit = client.post("/auth/oauth/token", "grant_type=client_credentials&scope=token:manage",
                           content_type="application/x-www-form-urlencoded",
                           HTTP_AUTHORIZATION=basic(app.client_id, secret)["Authorization"])
    assert explicit.status_code == 200 and explicit.json()["scope"] == "token:manage"
