"""Meetings fixtures shared by several test folders (a plugin registered in tests/conftest.py):
a host with a /v2 client, `create_meeting`, `joiner` (a browser session on the join endpoints), and
the settings the meetings tests run with (`fast_password_hashing`, `mind_application`; automatic in
tests/meetings and tests/recordings through their conftest.py)."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from django.test import Client

RW = "meeting:read meeting:write"


def in_future(**delta) -> str:
    return (datetime.now(timezone.utc) + timedelta(**(delta or {"days": 2}))).replace(microsecond=0).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def host(make_user):
    return make_user(email="host@example.com", display_name="Hana Host")


@pytest.fixture
def api(api_client, host):
    """The host's /v2 client with meeting:read and meeting:write."""
    return api_client(host, RW)


@pytest.fixture
def create_meeting(api):
    """create_meeting(client=None, **body) -> the 201 body of POST /v2/users/me/meetings."""

    def create(client=None, **body):
        body.setdefault("topic", "Weekly sync")
        body.setdefault("type", 2)
        if body["type"] in (2, 8):
            body.setdefault("start_time", in_future())
        response = (client or api).post("/v2/users/me/meetings", body, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return create


class Joiner:
    """A browser session on the join endpoints (/j/<id>/...)."""

    def __init__(self, user=None):
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.answer = None

    def join(self, meeting_id, expect=200, **body):
        response = self.client.post(f"/j/{meeting_id}/join", json.dumps(body), content_type="application/json")
        assert response.status_code == expect, response.content
        self.answer = response.json()
        return self.answer

    @property
    def ticket(self):
        return self.answer["ticket"]

    def status(self, meeting_id):
        response = self.client.get(f"/j/{meeting_id}/join/status", HTTP_X_ROOM_TICKET=self.ticket)
        assert response.status_code == 200, response.content
        return response.json()

    def post(self, path, **body):
        return self.client.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def joiner():
    """joiner(user=None) -> a Joiner (signed in as `user` when given)."""
    return Joiner


@pytest.fixture
def fast_password_hashing(settings):
    """These tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


MIND_APPLICATION_ID = "0b8e4a52-5c1d-4f7e-9a3b-6d2c1e0f9a87"


@pytest.fixture
def mind_application(settings):
    """The embedded media engine acts as one Mind application (bin/dev and deployments set these)."""
    settings.MIND_APPLICATION_ID = MIND_APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = "meetings-tests-application-token"
    settings.MIND_API_URL = None
