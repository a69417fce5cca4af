"""Redis-backed rate limits on sign-in, MFA verification and the token endpoint: 429 when exceeded."""

import pytest

from tests.accounts.conftest import PASSWORD, basic

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_rate_limited(make_user, client, settings):
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "login": "3/h"}
    user = make_user()
    answers = [client.post("/accounts/login/", {"username": f"nobody{i}@example.com", "password": "x"}).status_code
               for i in range(3)]
    assert answers == [200, 200, 200]
    limited = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode()
    assert limited["Content-Type"].startswith("text/html")


def test_mfa_verification_is_rate_limited_as_json(client, settings):
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "mfa": "2/h"}
    answers = [client.post("/auth/mfa/verify", {"code": "123456"}, content_type="application/json")
               for _ in range(3)]
    assert [a.status_code for a in answers] == [400, 400, 429]
    assert answers[-1].json() == {"error": "rate_limited",
                                  "message": "Too many attempts. Wait a minute and try again."}
    assert answers[-1]["Retry-After"] == "60"


def test_token_endpoint_is_rate_limited_with_an_oauth_error(make_user, make_app, client, settings):
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "token": "2/h"}
    app, secret = make_app(make_user(), kind="server")
    auth = basic(app.client_id, secret)["Authorization"]
    answers = [client.post("/oauth/token", "grant_type=client_credentials",
                           content_type="application/x-www-form-urlencoded", HTTP_AUTHORIZATION=auth)
               for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1].json()["error"] == "rate_limited" and "error_description" in answers[-1].json()
