"""RFC 7009 revocation and RFC 7662 introspection, over HTTP; token issuance is audited."""

import pytest
import requests

from accounts.models import AuditEvent
from tests.accounts.conftest import basic

pytestmark = pytest.mark.django_db(transaction=True)


def client_token(http, app, secret, scope="user:read"):
    answer = http.token({"grant_type": "client_credentials", "scope": scope}, auth=(app.client_id, secret))
    assert answer.status_code == 200
    return answer.json()["access_token"]


def test_issued_tokens_are_audited(http, make_user, make_app):
    owner = make_user()
    app, secret = make_app(owner, kind="server")
    client_token(http, app, secret)
    event = AuditEvent.objects.get(action="token.issued")
    assert event.actor == owner and event.account == owner.account
    assert event.details["grant_type"] == "client_credentials" and event.details["scope"] == "user:read"


def test_a_client_revokes_its_token_and_it_stops_working(http, make_user, make_app):
    owner = make_user()
    app, secret = make_app(owner, kind="server")
    raw = client_token(http, app, secret)
    assert http.get("/v2/users/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    answer = requests.post(http.url("/auth/oauth/revoke"), data={"token": raw}, headers=basic(app.client_id, secret),
                           timeout=30)
    assert answer.status_code == 200
    assert http.get("/v2/users/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert AuditEvent.objects.filter(action="token.revoked", actor=owner).exists()


def test_a_client_cannot_revoke_another_clients_token(http, make_user, make_app):
    app, secret = make_app(make_user(), kind="server")
    other, other_secret = make_app(make_user(), kind="server", name="Other")
    raw = client_token(http, app, secret)
    requests.post(http.url("/auth/oauth/revoke"), data={"token": raw}, headers=basic(other.client_id, other_secret),
                  timeout=30)
    assert http.get("/v2/users/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_introspection_of_own_tokens_only(http, make_user, make_app):
    owner = make_user(email="intro@example.com")
    app, secret = make_app(owner, kind="server")
    other, other_secret = make_app(make_user(), kind="server", name="Other")
    raw = client_token(http, app, secret, scope="user:read meeting:read")

    own = requests.post(http.url("/auth/oauth/introspect"), data={"token": raw},
                        headers=basic(app.client_id, secret), timeout=30)
    assert own.status_code == 200
    body = own.json()
    assert body["active"] is True and body["scope"] == "user:read meeting:read"
    assert body["client_id"] == app.client_id and body["username"] == "intro@example.com"

    foreign = requests.post(http.url("/auth/oauth/introspect"), data={"token": raw},
                            headers=basic(other.client_id, other_secret), timeout=30)
    assert foreign.status_code == 200 and foreign.json() == {"active": False}

    anonymous = requests.post(http.url("/auth/oauth/introspect"), data={"token": raw}, timeout=30)
    assert anonymous.status_code in (401, 403)


def test_revoking_by_id_also_kills_the_refresh_token(http, make_user, make_app):
    from urllib.parse import parse_qs, urlsplit

    from tests.accounts.conftest import authorize_url, hidden_inputs, pkce_pair

    user = make_user()
    app, secret = make_app(user, kind="web")
    verifier, challenge = pkce_pair()
    http.sign_in(user.email)
    page = http.get(authorize_url(app.client_id, challenge))
    answer = http.form_post(authorize_url(app.client_id, challenge), {**hidden_inputs(page.text), "allow": "Authorize"})
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    tokens = http.token({"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                         "redirect_uri": "http://127.0.0.1:9/callback"}, auth=(app.client_id, secret)).json()

    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    revoked = requests.post(http.url("/auth/token/revoke"), json={}, headers=bearer, timeout=30)
    assert revoked.status_code == 200
    assert http.get("/v2/users/me", headers=bearer).status_code == 401
    again = http.token({"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
                       auth=(app.client_id, secret))
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
