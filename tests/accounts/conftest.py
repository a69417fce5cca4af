"""Helpers for the accounts tests: real HTTP against a live server, OAuth clients, TOTP codes."""

import base64
import hashlib
import re
import secrets
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django_otp.oath import TOTP

from tests.openapi import validate_own_response, validate_response

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Rate-limit counters live in the shared Redis: give each test its own key space."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-{uuid.uuid4().hex}:"


def totp_code(secret_b32: str, steps_ahead: int = 0) -> str:
    """The authenticator-app code for the current 30 s step (+ `steps_ahead`), from the shared secret."""
    totp = TOTP(base64.b32decode(secret_b32), step=30, t0=0, digits=6)
    totp.time = (int(time.time()) // 30 + steps_ahead) * 30
    return f"{totp.token():06d}"


def secret_from_uri(otpauth_uri: str) -> str:
    return parse_qs(urlsplit(otpauth_uri).query)["secret"][0]


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def basic(client_id: str, secret: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


@pytest.fixture
def make_app():
    """`make_app(owner, kind="server"|"web"|"native", redirect_uris=...)` -> (application, client secret)."""
    from accounts import services

    def make(owner, kind="server", redirect_uris="http://127.0.0.1:9/callback", name="Test app"):
        return services.create_application(owner, name, kind, redirect_uris if kind != "server" else "")

    return make


class LiveHTTP:
    """A browser-like HTTP client (requests) for the live server, checking /v2, /auth/ and /oauth/ answers
    against their OpenAPI documents."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.session = requests.Session()

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def get(self, path, **kwargs):
        return self._checked("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self._checked("POST", path, **kwargs)

    def _checked(self, method, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        response = self.session.request(method, self.url(path), **kwargs)
        api_path = urlsplit(self.url(path)).path
        if api_path.startswith("/v2/"):
            validate_response(method, api_path, response.status_code, response.content,
                              response.headers.get("Content-Type", ""))
        elif api_path.startswith(("/auth/", "/oauth/")):
            validate_own_response(method, api_path, response.status_code, response.content,
                                  response.headers.get("Content-Type", ""))
        return response

    def form_post(self, path, data, **kwargs):
        """POST a page form with its CSRF token, like a browser."""
        data = {**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        return self.post(path, data=data, headers={"Referer": self.url(path)}, **kwargs)

    def sign_in(self, email: str, password: str = PASSWORD):
        self.get("/accounts/login/")
        response = self.form_post("/accounts/login/", {"username": email, "password": password})
        assert response.status_code == 302, response.text[:500]
        return response

    def token(self, data: dict, auth: tuple[str, str] | None = None, path="/auth/oauth/token", params=None):
        headers = basic(*auth) if auth else {}
        response = requests.post(self.url(path), data=data, params=params, headers=headers, timeout=30)
        validate_own_response("POST", urlsplit(self.url(path)).path, response.status_code, response.content,
                              response.headers.get("Content-Type", ""))
        return response


def hidden_inputs(html: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                fields[name.group(1)] = (value.group(1) if value else "").replace("&amp;", "&")
    return fields


@pytest.fixture
def http(live_server):
    return LiveHTTP(live_server.url)


def authorize_url(client_id: str, challenge: str | None, scope: str = "user:read meeting:read",
                  redirect_uri: str = "http://127.0.0.1:9/callback", state: str = "xyz") -> str:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
              "state": state}
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    return "/auth/oauth/authorize?" + urlencode(params)
