"""POST /auth/token/revoke: revoke by id (or the calling token); it stops working at once."""

import pytest
from oauth2_provider.models import get_access_token_model

from accounts.models import AuditEvent
from tests.conftest import ZoomAPIClient, issue_token

pytestmark = pytest.mark.django_db
AccessToken = get_access_token_model()


def bearer_client(raw):
    client = ZoomAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_revoke_by_id_from_the_session(make_user, client):
    user = make_user()
    raw = issue_token(user, "user:read")
    api = bearer_client(raw)
    assert api.get("/v2/users/me").status_code == 200
    token_id = AccessToken.objects.get(user=user).pk

    client.force_login(user)
    response = client.post("/auth/token/revoke", {"id": token_id}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"id": token_id, "revoked": True}

    after = api.get("/v2/users/me")
    assert after.status_code == 401 and after.json()["code"] == 124
    assert token_id not in [t["id"] for t in client.get("/auth/tokens").json()["tokens"]]
    assert AuditEvent.objects.filter(action="token.revoked", actor=user, target_id=str(token_id)).exists()


def test_revoke_the_calling_token(make_user):
    user = make_user()
    raw = issue_token(user, "user:read")
    keep = issue_token(user, "user:read")
    api = bearer_client(raw)
    response = api.post("/auth/token/revoke", {}, format="json")
    assert response.status_code == 200
    assert api.get("/v2/users/me").status_code == 401
    assert bearer_client(keep).get("/v2/users/me").status_code == 200


def test_a_bearer_token_can_revoke_another_of_its_users_tokens(make_user):
    user = make_user()
    first = issue_token(user, "user:read token:manage")
    second = issue_token(user, "user:read")
    second_id = AccessToken.objects.filter(user=user).order_by("-id").first().pk
    assert bearer_client(first).post("/auth/token/revoke", {"id": second_id}, format="json").status_code == 200
    assert bearer_client(second).get("/v2/users/me").status_code == 401


def test_bad_ids(make_user, client):
    client.force_login(make_user())
    not_a_number = client.post("/auth/token/revoke", {"id": "abc"}, content_type="application/json")
    assert not_a_number.status_code == 400 and not_a_number.json()["error"] == "invalid_id"
    unknown = client.post("/auth/token/revoke", {"id": 987654321}, content_type="application/json")
    assert unknown.status_code == 404
    no_id = client.post("/auth/token/revoke", {}, content_type="application/json")
    assert no_id.status_code == 400 and no_id.json()["error"] == "invalid_request"
    broken = client.post("/auth/token/revoke", "{not json", content_type="application/json")
    assert broken.status_code == 400


def test_needs_authentication(db):
    response = ZoomAPIClient().post("/auth/token/revoke", {"id": 1}, format="json")
    assert response.status_code == 401


def test_session_requests_need_csrf(make_user):
    from django.test import Client

    user = make_user()
    issue_token(user, "user:read")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/auth/token/revoke", {"id": AccessToken.objects.get(user=user).pk},
                           content_type="application/json")
    assert response.status_code == 403
    assert AccessToken.objects.filter(user=user).exists()
