"""The Mind API on a real server, shared by several test folders (a plugin registered in
tests/conftest.py): the application the Mind tests run as, and `mind_server`, Daphne serving the
whole product on a loopback port, on the test database (what HttpMind talks to as a remote Mind)."""

import secrets
import uuid

import pytest

APPLICATION_ID = "6b0f6a1e-2b0c-4d8e-9c1f-3a5b7c9d1e2f"
# One secret per test run, shared with the Daphne child process of the HttpMind contract tests.
APPLICATION_TOKEN = secrets.token_urlsafe(48)


@pytest.fixture(scope="session")
def mind_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """Daphne serving the whole product on a free loopback port, on the test database."""
    from tests.conftest import child_process, daphne_command, free_port, process_env

    port = free_port()
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    env = process_env(MIND_APPLICATION_ID=APPLICATION_ID, MIND_APPLICATION_TOKEN=APPLICATION_TOKEN,
                      MIND_API_URL="", ALLOWED_HOSTS="127.0.0.1,localhost", SIP_DIAL_OUT_POLICY="")

    def answers():
        import requests

        return requests.get(f"http://127.0.0.1:{port}/mind/{APPLICATION_ID}/{uuid.uuid4()}", timeout=1).status_code == 401

    with child_process(daphne_command(port), env, log, answers, "Daphne"):
        yield f"http://127.0.0.1:{port}/mind"
