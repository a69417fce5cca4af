"""Fixtures for the Mind API tests: the application's id and token, and HTTP helpers.

`mind` sends real HTTP requests through Django's test client to /mind/ with a bearer token:
    mind.post("", {"name": "x"})                       # as the application, POST /mind/<appId>
    mind.get(f"{cid}/participants", token=participant_token)
Every answer `mind` and the HttpMind side of `mind_client` receive is checked against the Mind API's
OpenAPI document (docs/openapi/mind.openapi.json, tests/openapi.py), errors included.
"""

import json
import os
import uuid

import pytest
from django.test import Client

from tests.openapi import validate_own_response
from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN  # noqa: F401  (the tests import them from here)


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
        response = self.client.generic(method, url, data=data, content_type=content_type, **headers)
        body = b"" if response.streaming else response.content  # files (recordings) are not JSON
        validate_own_response(method, self.url(path), response.status_code, body, response.get("Content-Type", ""))
        return response

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


@pytest.fixture(params=["embedded", "http"])
def mind_client(request, transactional_db, mind_application):
    """Each contract test runs once with EmbeddedMind and once with HttpMind (over real HTTP)."""
    from mind.client import EmbeddedMind, HttpMind

    if request.param == "embedded":
        return EmbeddedMind()
    base_url = request.getfixturevalue("mind_server")
    client = HttpMind(base_url=base_url, application_id=APPLICATION_ID, application_token=APPLICATION_TOKEN)
    client.http.hooks["response"].append(check_against_contract)
    return client


def check_against_contract(response, *args, **kwargs):
    """A requests hook: HttpMind's answers from the real server must match the Mind API's document."""
    from urllib.parse import urlsplit

    validate_own_response(response.request.method, urlsplit(response.url).path, response.status_code,
                          response.content, response.headers.get("Content-Type", ""))


@pytest.fixture(scope="module")
def voices(tmp_path_factory):
    """Alice's and Bob's known sentences, spoken by espeak-ng (tests/mind/speech.py): {"alice": wav, "bob": wav}."""
    from tests.mind.speech import ALICE, BOB, speak

    folder = tmp_path_factory.mktemp("voices")
    return {"alice": speak(ALICE, folder / "alice.wav", "en-us"), "bob": speak(BOB, folder / "bob.wav", "en-gb")}


# --- a pool of two Janus servers (tests/mind/test_janus_pool*.py) ------------------------------------

def first_janus_entry() -> dict:
    """The Janus `bin/dev test` starts, as a JANUS_SERVERS entry."""
    return {"name": "first", "ws_url": os.environ["JANUS_WS_URL"], "url": os.environ["JANUS_URL"],
            "admin_url": os.environ["JANUS_ADMIN_URL"]}


def janus_servers_setting(entries: list[dict]) -> str:
    return "; ".join(f"{e['name']} {e['ws_url']} {e['url']} {e['admin_url']}" for e in entries)


@pytest.fixture(scope="module")
def pool(second_janus):
    """JANUS_SERVERS entries: "first" (the namespace's Janus) and "second" (started on demand)."""
    return [first_janus_entry(), second_janus.entry("second")]


@pytest.fixture(scope="module")
def pool_server(django_db_setup, pool, tmp_path_factory):
    """The project's Daphne configured with both servers."""
    from tests.mind.media_peer import MediaServer, start_daphne, stop_process

    proc, port = start_daphne(tmp_path_factory.mktemp("daphne-pool"), JANUS_SERVERS=janus_servers_setting(pool))
    try:
        yield MediaServer(port, APPLICATION_ID)
    finally:
        stop_process(proc)


@pytest.fixture
def pooled(settings, pool):
    """This process (REST side, reconciliation) sees the same pool: server name -> JanusServer."""
    from mind.engine import janus_pool

    settings.JANUS_SERVERS = pool
    janus_pool.forget_health()
    yield {entry["name"]: janus_pool.server_named(entry["name"]) for entry in pool}
    janus_pool.forget_health()
