"""Fixtures of the push tests: a local APNs (HTTP/2 over TLS) and a local FCM with its OAuth token
endpoint (tests/push/servers.py), the product's settings pointed at them, and Celery tasks run in
this process (`task_always_eager`: the real task code, where these servers and settings are)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from tests.push.helpers import FCM_EMAIL, FCM_KEY_ID, FCM_PROJECT, KEY_ID, TEAM_ID
from tests.push.servers import ApnsServer, FcmServer, make_tls_certificate, p8_key, service_account_key


@dataclass
class Apns:
    server: ApnsServer
    public_key: object


@dataclass
class Fcm:
    server: FcmServer
    public_key: object


def _forget_credentials():
    cache.delete_many([f"push:apns-provider-token:{TEAM_ID}:{KEY_ID}", f"push:fcm-access-token:{FCM_EMAIL}"])


@pytest.fixture
def apns(settings, tmp_path):
    ca, cert, key = make_tls_certificate(tmp_path)
    server = ApnsServer(cert, key).start()
    pem, public_key = p8_key()
    settings.PUSH_APNS_KEY, settings.PUSH_APNS_KEY_ID, settings.PUSH_APNS_TEAM_ID = pem, KEY_ID, TEAM_ID
    settings.PUSH_APNS_URL = settings.PUSH_APNS_SANDBOX_URL = server.url
    settings.PUSH_APNS_CA_FILE = str(ca)
    settings.PUSH_APNS_TOPICS = []
    _forget_credentials()
    yield Apns(server, public_key)
    _forget_credentials()
    server.stop()


@pytest.fixture
def fcm(settings):
    pem, public_key = service_account_key()
    server = FcmServer(public_key, FCM_EMAIL, FCM_KEY_ID, FCM_PROJECT).start()
    settings.PUSH_FCM_SERVICE_ACCOUNT = json.dumps({
        "type": "service_account", "project_id": FCM_PROJECT, "private_key_id": FCM_KEY_ID, "private_key": pem,
        "client_email": FCM_EMAIL, "token_uri": f"{server.url}/token"})
    settings.PUSH_FCM_URL = server.url
    settings.PUSH_FCM_PROJECT_ID = ""
    _forget_credentials()
    yield Fcm(server, public_key)
    _forget_credentials()
    server.stop()


@pytest.fixture
def eager_tasks(monkeypatch):
    """Tasks queued with .delay() run at once in this process, retries included (Celery's eager mode)."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)  # True would raise each Retry out of apply()

