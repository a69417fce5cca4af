"""No user ever reads or changes another account's data: 404 for its users, tokens and applications."""

import pytest
from oauth2_provider.models import get_access_token_model, get_application_model

from tests.conftest import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_accounts(make_user):
    return make_user(email="a@example.com"), make_user(email="b@example.com")


def test_users_of_another_account_are_not_found(two_accounts, api_client):
    a, b = two_accounts
    client = api_client(a, "user:read:admin")
    for user_id in (b.public_id, b.email):
        response = client.get(f"/v2/users/{user_id}")
        assert response.status_code == 404
        assert response.json() == {"code": 1001, "message": f"User does not exist: {user_id}."}


def test_tokens_of_another_account_are_invisible_and_cannot_be_revoked(two_accounts, client):
    a, b = two_accounts
    b_raw = issue_token(b, "user:read")
    b_token = get_access_token_model().objects.get(user=b)
    client.force_login(a)

    listed = client.get("/auth/tokens").json()["tokens"]
    assert b_token.pk not in [t["id"] for t in listed]

    response = client.post("/auth/token/revoke", {"id": b_token.pk}, content_type="application/json")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert get_access_token_model().objects.filter(pk=b_token.pk).exists()
    assert b_raw  # b's token still works:
    from tests.conftest import ZoomAPIClient

    other = ZoomAPIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {b_raw}")
    assert other.get("/v2/users/me").status_code == 200


def test_applications_of_another_account_cannot_be_deleted(two_accounts, client, make_app):
    a, b = two_accounts
    app, _ = make_app(b, kind="server")
    client.force_login(a)
    page = client.post(f"/accounts/security/applications/{app.pk}/delete/", follow=True)
    assert "That application does not exist." in page.content.decode()
    assert get_application_model().objects.filter(pk=app.pk).exists()
    assert app.name not in client.get("/accounts/security/").content.decode()


def test_another_accounts_tokens_cannot_be_revoked_from_the_security_page(two_accounts, client):
    a, b = two_accounts
    issue_token(b, "user:read")
    b_token = get_access_token_model().objects.get(user=b)
    client.force_login(a)
    client.post(f"/accounts/security/tokens/{b_token.pk}/revoke/")
    assert get_access_token_model().objects.filter(pk=b_token.pk).exists()
