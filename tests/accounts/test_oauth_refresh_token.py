"""The refresh_token grant over HTTP: rotation, and the old refresh and access tokens stop working."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.accounts.conftest import authorize_url, hidden_inputs, pkce_pair

pytestmark = pytest.mark.django_db(transaction=True)
REDIRECT = "http://127.0.0.1:9/callback"


def first_tokens(http, user, app, secret, scope="user:read meeting:read"):
    verifier, challenge = pkce_pair()
    http.sign_in(user.email)
    page = http.get(authorize_url(app.client_id, challenge, scope))
    answer = http.form_post(authorize_url(app.client_id, challenge, scope), {**hidden_inputs(page.text),
                                                                             "allow": "Authorize"})
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    response = http.token({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                           "code_verifier": verifier}, auth=(app.client_id, secret))
    assert response.status_code == 200
    return response.json()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_refresh_rotates_and_retires_the_old_tokens(http, make_user, make_app):
    user = make_user()
    app, secret = make_app(user, kind="web")
    first = first_tokens(http, user, app, secret)

    refreshed = http.token({"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
                           auth=(app.client_id, secret))
    assert refreshed.status_code == 200, refreshed.text
    second = refreshed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["scope"] == "user:read meeting:read"
    assert second["token_type"] == "Bearer" and second["expires_in"] == 3600

    assert http.get("/v2/users/me", headers=bearer(second["access_token"])).status_code == 200
    old = http.get("/v2/users/me", headers=bearer(first["access_token"]))
    assert old.status_code == 401 and old.json()["code"] == 124

    reused = http.token({"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
                        auth=(app.client_id, secret))
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_refresh_may_narrow_but_not_widen_scopes(http, make_user, make_app):
    user = make_user()
    app, secret = make_app(user, kind="web")
    first = first_tokens(http, user, app, secret)
    wider = http.token({"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
                        "scope": "user:read recording:write"}, auth=(app.client_id, secret))
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"
    narrower = http.token({"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
                           "scope": "user:read"}, auth=(app.client_id, secret))
    assert narrower.status_code == 200 and narrower.json()["scope"] == "user:read"


def test_another_clients_refresh_token_is_refused(http, make_user, make_app):
    user = make_user()
    app, secret = make_app(user, kind="web")
    other_app, other_secret = make_app(make_user(), kind="web", name="Other")
    first = first_tokens(http, user, app, secret)
    stolen = http.token({"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
                        auth=(other_app.client_id, other_secret))
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
