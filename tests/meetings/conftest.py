"""Fixtures for the meetings tests: a host with an API client, and helpers to create and join meetings."""

import json
import subprocess
import sys
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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


MIND_APPLICATION_ID = "0b8e4a52-5c1d-4f7e-9a3b-6d2c1e0f9a87"


@pytest.fixture(autouse=True)
def mind_application(settings):
    """The embedded media engine acts as one Mind application (bin/dev and deployments set these)."""
    settings.MIND_APPLICATION_ID = MIND_APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = "meetings-tests-application-token"
    settings.MIND_API_URL = None


# --- SIP dial-in (the media tier): a Daphne taking calls, SIPp as the phone (tests/meetings/sip_dial_in.py)


@pytest.fixture(scope="module")
def dial_in_server(django_db_setup, tmp_path_factory):
    import requests

    from tests.conftest import ROOT, free_port, process_env, wait_until
    from tests.meetings.sip_dial_in import (
        ENGINE_HOST,
        MIND_APPLICATION_TOKEN,
        DialInServer,
        free_udp_port_on,
        options_ping,
    )
    from tests.mind.media_peer import stop_process

    http_port, sip_port = free_port(), free_udp_port_on(ENGINE_HOST)
    env = process_env(MIND_APPLICATION_ID=MIND_APPLICATION_ID, MIND_APPLICATION_TOKEN=MIND_APPLICATION_TOKEN,
                      MIND_API_URL="", ALLOWED_HOSTS="127.0.0.1,localhost", MIND_SESSION_GRACE_SECONDS="3",
                      SIP_DIAL_IN="on", SIP_BIND=ENGINE_HOST, SIP_PORT=str(sip_port), SIP_DOMAIN=ENGINE_HOST,
                      SIP_DIAL_IN_CALLS="3", SIP_DIAL_IN_WAIT_SECONDS="60")
    log = tmp_path_factory.mktemp("dial-in") / "daphne.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(http_port),
                                 "config.asgi:application"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: requests.get(f"http://127.0.0.1:{http_port}/mind/{MIND_APPLICATION_ID}", timeout=1).status_code,
                   timeout=60, message="Daphne")
        # Dial-in is ready once the Janus pool has registered with the front end: it answers OPTIONS.
        wait_until(lambda: options_ping(ENGINE_HOST, sip_port), timeout=30, message="the SIP dial-in front end")
        server = DialInServer(http_port, sip_port, MIND_APPLICATION_ID, log)
        wait_until(lambda: server.pools_ready() >= 1, timeout=30, message="the Janus SIP pool")
        yield server
    finally:
        stop_process(proc)


@pytest.fixture
def dialling(settings, dial_in_server):
    """sip_dialing URIs in this process point at the dial-in server."""
    from tests.meetings.sip_dial_in import ENGINE_HOST

    settings.SIP_DOMAIN = ENGINE_HOST
    settings.SIP_PORT = dial_in_server.sip_port
    return dial_in_server

