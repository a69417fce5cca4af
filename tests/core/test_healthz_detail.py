"""/healthz tells outsiders only whether the service is up; which component failed (and its error
text) is for loopback callers (the orchestrator's probe) and staff."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_remote_caller_gets_the_status_only(client, celery_worker):
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_a_remote_caller_behind_a_trusted_proxy_gets_the_status_only(client, celery_worker, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    response = client.get("/healthz", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.json() == {"status": "ok"}


def test_a_remote_caller_sees_down_without_the_reason(client, celery_worker, settings):
    settings.JANUS_URL = "http://127.0.0.1:9/janus"
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 503 and response.json() == {"status": "down"}


def test_loopback_and_staff_see_every_check(client, celery_worker, make_user):
    assert set(client.get("/healthz").json()["checks"]) == {"database", "redis", "worker", "janus"}
    client.force_login(make_user(is_staff=True))
    assert "checks" in client.get("/healthz", REMOTE_ADDR="203.0.113.9").json()
