import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.media]  # /healthz asks Janus too


def test_all_components_ok(client, celery_worker):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body == {"status": "ok", "checks": {"database": "ok", "redis": "ok", "worker": "ok", "janus": "ok"}}


def test_stopped_redis_is_down_and_recovers(client, celery_worker, redis_server, settings):
    settings.REDIS_URL = redis_server.url
    assert client.get("/healthz").status_code == 200

    redis_server.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["redis"].startswith("down:")
    assert body["checks"]["database"] == "ok"

    redis_server.start()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


def test_unreachable_janus_is_down(client, celery_worker, settings):
    settings.JANUS_URL = "http://127.0.0.1:9/janus"  # the discard port: nothing listens
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["janus"].startswith("down:")


def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
