"""The client_credentials grant over HTTP; client secrets and tokens are stored hashed."""

import hashlib

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_client_credentials_token_acts_for_the_applications_owner(http, make_user, make_app):
    owner = make_user(email="robot-owner@example.com")
    app, secret = make_app(owner, kind="server")
    answer = http.token({"grant_type": "client_credentials", "scope": "user:read"}, auth=(app.client_id, secret))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "user:read" and body["expires_in"] == 3600
    assert "refresh_token" not in body

    me = http.get("/v2/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["email"] == "robot-owner@example.com"


def test_secret_in_the_body_works_too(http, make_user, make_app):
    app, secret = make_app(make_user(), kind="server")
    answer = http.token({"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": secret,
                         "scope": "meeting:read"})
    assert answer.status_code == 200 and answer.json()["scope"] == "meeting:read"


def test_wrong_secret_is_invalid_client(http, make_user, make_app):
    app, _ = make_app(make_user(), kind="server")
    answer = http.token({"grant_type": "client_credentials"}, auth=(app.client_id, "not-the-secret"))
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_members_get_no_account_wide_scopes(http, make_user, make_app):
    owner = make_user()
    member = make_user(account=owner.account, role="member")
    app, secret = make_app(member, kind="server")
    refused = http.token({"grant_type": "client_credentials", "scope": "meeting:read:admin"},
                         auth=(app.client_id, secret))
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"
    default = http.token({"grant_type": "client_credentials"}, auth=(app.client_id, secret))
    assert default.status_code == 200
    assert not [s for s in default.json()["scope"].split() if s.endswith(":admin") or s == "meeting:master"]


def test_secrets_and_tokens_are_stored_hashed(http, make_user, make_app):
    from oauth2_provider.models import get_access_token_model, get_application_model

    app, secret = make_app(make_user(), kind="server")
    stored = get_application_model().objects.get(pk=app.pk)
    assert stored.client_secret != secret and stored.client_secret.startswith("pbkdf2_sha256$")

    raw = http.token({"grant_type": "client_credentials"}, auth=(app.client_id, secret)).json()["access_token"]
    token = get_access_token_model().objects.get(application=app)
    assert token.token == ""  # nothing usable at rest
    assert token.token_checksum == hashlib.sha256(raw.encode()).hexdigest()


def test_password_grant_is_not_offered(http, make_user, make_app):
    user = make_user()
    app, secret = make_app(user, kind="server")
    answer = http.token({"grant_type": "password", "username": user.email, "password": "a-long-test-password"},
                        auth=(app.client_id, secret))
    assert answer.status_code == 400 and answer.json()["error"] == "unsupported_grant_type"
