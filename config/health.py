"""Checks of every component the product needs; /healthz reports them."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from mind.engine.janus import Janus, JanusError


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_worker() -> str:
    # limit=1: answer as soon as one worker replies (without it, ping always waits the whole timeout).
    replies = celery_app.control.ping(timeout=1.0, limit=1)
    if not replies:
        raise RuntimeError("no Celery worker answered the ping")
    return "ok"


def check_janus() -> str:
    info = Janus(timeout=2).info()
    if info.get("janus") != "server_info":
        raise JanusError("unexpected answer to info")
    return "ok"


CHECKS = {"database": check_database, "redis": check_redis, "worker": check_worker, "janus": check_janus}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a health check reports every failure instead of raising it
            results[name] = f"down: {exc.__class__.__name__}: {exc}"[:300]
    return results
