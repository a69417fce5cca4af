"""Fixtures for the Mind API tests: the application's id and token, and HTTP helpers.

`mind` sends real HTTP requests through Django's test client to /mind/ with a bearer token:
    mind.post("", {"name": "x"})                       # as the application, POST /mind/<appId>
    mind.get(f"{cid}/participants", token=participant_token)
"""

import json
import secrets
import uuid

import pytest
from django.test import Client

APPLICATION_ID = "6b0f6a1e-2b0c-4d8e-9c1f-3a5b7c9d1e2f"
# One secret per test run, shared with the Daphne child process of the HttpMind contract tests.
APPLICATION_TOKEN = secrets.token_urlsafe(48)


@pytest.fixture(autouse=True)
def mind_application(settings):
    """Every Mind test runs as one application with its own secret token."""
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN
    settings.MIND_API_URL = None
    # The engine's own tests run it without the product's accounts: the outbound policy alone
    # governs dial-out here (the account permission: tests/meetings/test_sip_dial_out_permission.py).
    settings.SIP_DIAL_OUT_POLICY = ""
    return settings


class MindHttp:
    def __init__(self, application_id: str, application_token: str):
        self.client = Client()
        self.application_id = application_id
        self.application_token = application_token

    def url(self, path: str = "") -> str:
        path = str(path).strip("/")
        return f"/mind/{self.application_id}" + (f"/{path}" if path else "")

    def request(self, method: str, path: str = "", body=None, token: str | None = "app", raw: bytes | None = None,
                content_type: str = "application/json", query: str = "", **headers):
        if token == "app":
            token = self.application_token
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        url = self.url(path) + (f"?{query}" if query else "")
        return self.client.generic(method, url, data=data, content_type=content_type, **headers)

    def get(self, path="", **kw):
        return self.request("GET", path, **kw)

    def post(self, path="", body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path="", body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path="", **kw):
        return self.request("DELETE", path, **kw)

    # shortcuts that must succeed
    def create_conference(self, **fields) -> dict:
        response = self.post("", fields)
        assert response.status_code == 200, response.content
        return response.json()

    def create_participant(self, conference_id, **fields) -> dict:
        response = self.post(f"{conference_id}/participants", fields)
        assert response.status_code == 200, response.content
        return response.json()


@pytest.fixture
def mind(db, mind_application):
    return MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)


@pytest.fixture
def conference(mind):
    return mind.create_conference(name="Weekly sync")


@pytest.fixture
def people(mind, conference):
    """One participant of each role in `conference`: {"moderator": {...,"token"}, "speaker": ..., ...}."""
    cid = conference["id"]
    return {role: mind.create_participant(cid, name=role.title(), role=role)
            for role in ("moderator", "presenter", "speaker", "attendee")}


def random_id() -> str:
    return str(uuid.uuid4())


# --- the Mind client contract: EmbeddedMind in-process, HttpMind against Daphne over a socket ----


@pytest.fixture(scope="session")
def mind_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """Daphne serving the whole product on a free loopback port, on the test database."""
    import subprocess
    import sys

    from tests.conftest import ROOT, free_port, process_env, wait_until

    port = free_port()
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    env = process_env(MIND_APPLICATION_ID=APPLICATION_ID, MIND_APPLICATION_TOKEN=APPLICATION_TOKEN,
                      MIND_API_URL="", ALLOWED_HOSTS="127.0.0.1,localhost", SIP_DIAL_OUT_POLICY="")
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )

    def answers():
        import requests

        return requests.get(f"http://127.0.0.1:{port}/mind/{APPLICATION_ID}/{uuid.uuid4()}", timeout=1).status_code == 401

    try:
        wait_until(answers, timeout=60, message="Daphne")
        yield f"http://127.0.0.1:{port}/mind"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(params=["embedded", "http"])
def mind_client(request, transactional_db, mind_application):
    """Each contract test runs once with EmbeddedMind and once with HttpMind (over real HTTP)."""
    from mind.client import EmbeddedMind, HttpMind

    if request.param == "embedded":
        return EmbeddedMind()
    base_url = request.getfixturevalue("mind_server")
    return HttpMind(base_url=base_url, application_id=APPLICATION_ID, application_token=APPLICATION_TOKEN)
