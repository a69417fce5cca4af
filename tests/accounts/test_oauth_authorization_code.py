"""The authorization_code grant with PKCE, end to end over HTTP: sign in, approve, exchange, call /v2."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.accounts.conftest import authorize_url, hidden_inputs, pkce_pair

pytestmark = pytest.mark.django_db(transaction=True)
REDIRECT = "http://127.0.0.1:9/callback"


def approve(http, client_id, challenge, scope="user:read meeting:read"):
    page = http.get(authorize_url(client_id, challenge, scope))
    assert page.status_code == 200, page.text[:300]
    form = hidden_inputs(page.text)
    answer = http.form_post(authorize_url(client_id, challenge, scope), {**form, "allow": "Authorize"})
    assert answer.status_code == 302
    return urlsplit(answer.headers["Location"])


def test_code_with_pkce_gives_a_token_that_works_on_v2(http, make_user, make_app):
    user = make_user(email="ada@example.com")
    app, secret = make_app(user, kind="web")
    verifier, challenge = pkce_pair()
    http.sign_in(user.email)

    page = http.get(authorize_url(app.client_id, challenge))
    assert page.status_code == 200
    assert "Authorize Test app?" in page.text and "user:read" in page.text

    location = approve(http, app.client_id, challenge)
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]

    answer = http.token({"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": REDIRECT,
                         "code_verifier": verifier}, auth=(app.client_id, secret))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "user:read meeting:read"
    assert body["expires_in"] == 3600
    assert body["refresh_token"] and body["access_token"]
    assert body["api_url"].startswith("http")

    me = http.get("/v2/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.com"
    assert me.json()["id"] == user.public_id


def test_public_client_uses_pkce_without_a_secret(http, make_user, make_app):
    user = make_user()
    app, secret = make_app(user, kind="native")
    assert secret is None
    verifier, challenge = pkce_pair()
    http.sign_in(user.email)
    code = parse_qs(approve(http, app.client_id, challenge).query)["code"][0]

    answer = http.token({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                         "code_verifier": verifier, "client_id": app.client_id})
    assert answer.status_code == 200, answer.text
    assert answer.json()["scope"] == "user:read meeting:read"


def test_wrong_code_verifier_is_refused(http, make_user, make_app):
    user = make_user()
    app, secret = make_app(user, kind="web")
    verifier, challenge = pkce_pair()
    http.sign_in(user.email)
    code = parse_qs(approve(http, app.client_id, challenge).query)["code"][0]

    wrong = http.token({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                        "code_verifier": pkce_pair()[0]}, auth=(app.client_id, secret))
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"

    missing = http.token({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
                         auth=(app.client_id, secret))
    assert missing.status_code == 400
    assert missing.json()["error"] in ("invalid_request", "invalid_grant")


def test_authorization_without_pkce_challenge_is_refused(http, make_user, make_app):
    user = make_user()
    app, _ = make_app(user, kind="web")
    http.sign_in(user.email)
    answer = http.get(authorize_url(app.client_id, challenge=None))
    # The error goes back to the client's redirect URI, as RFC 6749 says.
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["error"] == ["invalid_request"]


def test_a_code_works_once(http, make_user, make_app):
    user = make_user()
    app, secret = make_app(user, kind="web")
    verifier, challenge = pkce_pair()
    http.sign_in(user.email)
    code = parse_qs(approve(http, app.client_id, challenge).query)["code"][0]
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier}
    assert http.token(data, auth=(app.client_id, secret)).status_code == 200
    again = http.token(data, auth=(app.client_id, secret))
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_denying_sends_access_denied_to_the_client(http, make_user, make_app):
    user = make_user()
    app, _ = make_app(user, kind="web")
    _, challenge = pkce_pair()
    http.sign_in(user.email)
    page = http.get(authorize_url(app.client_id, challenge))
    answer = http.form_post(authorize_url(app.client_id, challenge), hidden_inputs(page.text))  # no "allow"
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["error"] == ["access_denied"]


def test_signed_out_users_are_sent_to_sign_in_first(http, make_user, make_app):
    app, _ = make_app(make_user(), kind="web")
    _, challenge = pkce_pair()
    answer = http.get(authorize_url(app.client_id, challenge))
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/accounts/login/?next=")


def test_members_cannot_grant_account_wide_scopes(http, make_user, make_app):
    owner = make_user()
    member = make_user(account=owner.account, role="member")
    app, _ = make_app(owner, kind="web")
    _, challenge = pkce_pair()
    http.sign_in(member.email)
    page = http.get(authorize_url(app.client_id, challenge, scope="meeting:read:admin"))
    assert page.status_code == 403
    assert "only account owners and admins" in page.text
    # and a hand-made approval is refused by the authorization server itself
    answer = http.form_post(authorize_url(app.client_id, challenge, scope="meeting:read:admin"), {
        "allow": "Authorize", "client_id": app.client_id, "redirect_uri": REDIRECT, "response_type": "code",
        "scope": "meeting:read:admin", "state": "s", "code_challenge": challenge, "code_challenge_method": "S256"})
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["error"] == ["invalid_scope"]
