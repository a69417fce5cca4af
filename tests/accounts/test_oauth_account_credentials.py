"""Zoom's server-to-server grant: `grant_type=account_credentials&account_id=...` with HTTP Basic."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def s2s(make_user, make_app):
    owner = make_user(email="owner@example.com")
    app, secret = make_app(owner, kind="server", name="Zoom S2S app")
    return owner, app, secret


def test_zoom_style_request_at_oauth_token(http, make_user, s2s):
    owner, app, secret = s2s
    member = make_user(account=owner.account, role="member", email="member@example.com")
    # Zoom's documented form: parameters in the query string, Basic client authentication.
    answer = http.token({}, auth=(app.client_id, secret), path="/oauth/token",
                        params={"grant_type": "account_credentials", "account_id": owner.account.public_id})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert "refresh_token" not in body
    scopes = body["scope"].split()
    assert "meeting:read:admin" in scopes and "user:read:admin" in scopes and "meeting:write:sip_dialing" in scopes
    assert "api_url" in body

    token = {"Authorization": f"Bearer {body['access_token']}"}
    me = http.get("/v2/users/me", headers=token)
    assert me.status_code == 200 and me.json()["email"] == "owner@example.com"
    assert me.json()["account_id"] == owner.account.public_id
    other = http.get(f"/v2/users/{member.public_id}", headers=token)  # account-wide access
    assert other.status_code == 200 and other.json()["email"] == "member@example.com"


def test_form_body_at_auth_oauth_token(http, s2s):
    owner, app, secret = s2s
    answer = http.token({"grant_type": "account_credentials", "account_id": owner.account.public_id,
                         "scope": "meeting:read:admin"}, auth=(app.client_id, secret))
    assert answer.status_code == 200, answer.text
    assert answer.json()["scope"] == "meeting:read:admin"


def test_account_id_of_another_account_is_refused(http, make_user, s2s):
    _, app, secret = s2s
    stranger = make_user()
    answer = http.token({"grant_type": "account_credentials", "account_id": stranger.account.public_id},
                        auth=(app.client_id, secret))
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert "account_id" in answer.json()["error_description"]


def test_missing_account_id_is_refused(http, s2s):
    _, app, secret = s2s
    answer = http.token({"grant_type": "account_credentials"}, auth=(app.client_id, secret))
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
    assert "account_id" in answer.json()["error_description"]


def test_client_must_authenticate(http, s2s):
    owner, app, secret = s2s
    data = {"grant_type": "account_credentials", "account_id": owner.account.public_id}
    assert http.token(data).status_code == 401
    wrong = http.token(data, auth=(app.client_id, "wrong"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def test_secret_in_the_query_string_is_refused(http, s2s):
    owner, app, secret = s2s
    answer = http.token({}, path="/oauth/token", params={
        "grant_type": "account_credentials", "account_id": owner.account.public_id,
        "client_id": app.client_id, "client_secret": secret})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_an_application_owned_by_a_member_cannot_act_for_the_account(http, make_user, make_app, s2s):
    owner, _, _ = s2s
    member = make_user(account=owner.account, role="member")
    app, secret = make_app(member, kind="server")
    answer = http.token({"grant_type": "account_credentials", "account_id": owner.account.public_id},
                        auth=(app.client_id, secret))
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_authorization_code_applications_cannot_use_it(http, make_user, make_app, s2s):
    owner, _, _ = s2s
    app, secret = make_app(owner, kind="web")
    answer = http.token({"grant_type": "account_credentials", "account_id": owner.account.public_id},
                        auth=(app.client_id, secret))
    assert answer.status_code in (400, 401) and answer.json()["error"] == "unauthorized_client"
