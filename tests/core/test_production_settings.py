"""Settings for production: HTTPS everywhere once SITE_ROOT is https, proxies only when trusted,
no well-known secrets even with DEBUG, a password on Redis, and a Content-Security-Policy."""

import json
import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings as django_settings

from tests.conftest import ROOT

SECRET_NAMES = ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "MIND_APPLICATION_TOKEN", "MIND_APPLICATION_ID",
                "JANUS_API_SECRET", "JANUS_ADMIN_SECRET", "JANUS_ROOM_ADMIN_KEY", "SITE_ROOT", "TRUSTED_PROXIES",
                "SECURE_SSL_REDIRECT", "VAR_DIR")
SHOW = ("DEBUG SECRET_KEY SECURE_HSTS_SECONDS SECURE_SSL_REDIRECT SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE "
        "SECURE_PROXY_SSL_HEADER MIND_APPLICATION_TOKEN JANUS_API_SECRET JANUS_ADMIN_SECRET JANUS_ROOM_ADMIN_KEY").split()


def load(**env):
    base = {k: v for k, v in os.environ.items() if k not in SECRET_NAMES}
    code = ("import django, json; django.setup(); from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n) for n in {SHOW!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_site_gets_hsts_redirect_and_secure_cookies(tmp_path):
    s = load(SECRET_KEY="k" * 50, SITE_ROOT="https://meet.example.com", VAR_DIR=str(tmp_path))
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] is None  # no trusted proxy: nobody's header is believed
    off = load(SECRET_KEY="k" * 50, SITE_ROOT="https://meet.example.com", SECURE_SSL_REDIRECT="0",
               VAR_DIR=str(tmp_path))
    assert off["SECURE_SSL_REDIRECT"] is False


def test_behind_a_trusted_proxy_its_proto_header_counts(tmp_path):
    s = load(SECRET_KEY="k" * 50, SITE_ROOT="https://meet.example.com", TRUSTED_PROXIES="10.0.0.0/8",
             VAR_DIR=str(tmp_path))
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_debug_never_uses_a_known_secret(tmp_path):
    first = load(DEBUG="1", VAR_DIR=str(tmp_path))
    again = load(DEBUG="1", VAR_DIR=str(tmp_path))
    other = load(DEBUG="1", VAR_DIR=str(tmp_path / "elsewhere"))
    for name in ("SECRET_KEY", "MIND_APPLICATION_TOKEN", "JANUS_API_SECRET", "JANUS_ADMIN_SECRET",
                 "JANUS_ROOM_ADMIN_KEY"):
        assert len(first[name]) >= 32 and "dev" not in first[name], name
        assert first[name] == again[name], f"{name} is kept between starts"
        assert first[name] != other[name], f"{name} is generated, not built in"
    assert oct((tmp_path / "secrets").stat().st_mode & 0o777) == "0o700"


def test_redis_requires_the_generated_password():
    url = django_settings.REDIS_URL
    assert redis.Redis.from_url(url).ping()
    parsed = redis.connection.parse_url(url)
    assert parsed.get("password"), "REDIS_URL carries a password"
    anonymous = redis.Redis(host=parsed["host"], port=parsed["port"])
    with pytest.raises(redis.AuthenticationError):
        anonymous.ping()


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    policy = client.get("/accounts/login/", HTTP_HOST="localhost:8000")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "ws://localhost:8000" in directives["connect-src"]
    assert "blob:" in directives["media-src"] and "mediastream:" in directives["media-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert "Content-Security-Policy" not in client.get("/healthz")
