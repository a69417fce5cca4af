import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def load_settings(**env):
    """Imports the settings in a fresh interpreter with exactly this environment."""
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT, env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True, text=True,
    )


def test_refuses_to_start_without_secret_key_when_not_debug():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_starts_with_secret_key():
    result = load_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_allows_missing_secret_key():
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-" * 4)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"],
        cwd=ROOT, capture_output=True, text=True,
        env={**{k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")},
             "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY_FILE": str(secret)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-file-" * 4


def test_refuses_a_database_other_than_postgresql():
    result = load_settings(SECRET_KEY="x" * 50, DATABASE_URL="sqlite:///tmp/db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_the_settings_refuse_to_start_on_an_unclear_flag():
    result = load_settings(SECRET_KEY="x" * 50, SECURE_HSTS_INCLUDE_SUBDOMAINS="ture")
    assert result.returncode != 0
    assert "SECURE_HSTS_INCLUDE_SUBDOMAINS='ture' is not a clear yes or no" in result.stderr


@pytest.mark.parametrize("name", ["WEB_THREADS", "WEB_STREAM_THREADS"])
def test_refuses_to_start_without_an_http_thread(name):
    result = load_settings(SECRET_KEY="x" * 50, **{name: "0"})
    assert result.returncode != 0
    assert "WEB_THREADS and WEB_STREAM_THREADS must be at least 1" in result.stderr
