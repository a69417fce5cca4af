"""Fixtures for the meetings tests. The host, its /v2 client, `create_meeting` and `joiner` are shared
with other folders (tests/support/meetings.py); here: the settings every meetings test runs with, the
meetings of the live-meeting tests, and the SIP dial-in server."""

import subprocess
import sys

import pytest

from tests.support.meetings import MIND_APPLICATION_ID


@pytest.fixture(autouse=True)
def meetings_settings(fast_password_hashing, mind_application):
    """Every test here: fast password hashing and the embedded engine as the meetings' Mind application
    (both in tests/support/meetings.py, with host, api, create_meeting and joiner)."""


# --- live meetings ---------------------------------------------------------------------------------


@pytest.fixture
def live_meeting(create_meeting, host, joiner):
    """A meeting its host has started."""
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    return created


@pytest.fixture
def in_call(create_meeting, host, joiner):
    """A live meeting with a waiting room: (meeting, the host's session, {"Cora": ..., "Gus": ...} admitted)."""
    created = create_meeting(password="", settings={"waiting_room": True})
    host_session = joiner(host)
    host_session.join(created["id"])
    guests = {}
    for name in ("Cora", "Gus"):
        guests[name] = joiner()
        waiting = guests[name].join(created["id"], name=name)
        host_session.post(f"/j/{created['id']}/lobby/{waiting['participant_id']}/admit", ticket=host_session.ticket)
        guests[name].answer = guests[name].status(created["id"])
    return created, host_session, guests


# --- SIP dial-in (the media tier): a Daphne (web) and the sip process taking calls, SIPp as the phone
# (tests/meetings/sip_dial_in.py)


@pytest.fixture(scope="module")
def dial_in_server(django_db_setup, tmp_path_factory):
    import requests

    from tests.conftest import ROOT, free_port, process_env, wait_until
    from tests.meetings.sip_dial_in import (
        ENGINE_HOST,
        MIND_APPLICATION_TOKEN,
        DialInServer,
        free_udp_port_on,
    )
    from tests.mind.media_peer import stop_process
    from tests.support.sip_process import SipProcess

    http_port, sip_port = free_port(), free_udp_port_on(ENGINE_HOST)
    engine = dict(MIND_APPLICATION_ID=MIND_APPLICATION_ID, MIND_APPLICATION_TOKEN=MIND_APPLICATION_TOKEN,
                  MIND_API_URL="", ALLOWED_HOSTS="127.0.0.1,localhost", MIND_SESSION_GRACE_SECONDS="3")
    folder = tmp_path_factory.mktemp("dial-in")
    with open(folder / "daphne.log", "w") as out:
        web = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(http_port),
                                "config.asgi:application"], cwd=ROOT, env=process_env(**engine),
                               stdout=out, stderr=subprocess.STDOUT)
    sip = SipProcess(folder, **engine, SIP_DIAL_IN="on", SIP_BIND=ENGINE_HOST, SIP_PORT=str(sip_port),
                     SIP_DOMAIN=ENGINE_HOST, SIP_DIAL_IN_CALLS="3", SIP_DIAL_IN_WAIT_SECONDS="60")
    try:
        sip.start()
        wait_until(lambda: requests.get(f"http://127.0.0.1:{http_port}/mind/{MIND_APPLICATION_ID}", timeout=1).status_code,
                   timeout=60, message="Daphne")
        server = DialInServer(http_port, sip_port, MIND_APPLICATION_ID, sip)
        server.wait_ready()
        yield server
    finally:
        sip.stop()
        stop_process(web)


@pytest.fixture
def dialling(settings, dial_in_server):
    """sip_dialing URIs in this process point at the dial-in server."""
    from tests.meetings.sip_dial_in import ENGINE_HOST

    settings.SIP_DOMAIN = ENGINE_HOST
    settings.SIP_PORT = dial_in_server.sip_port
    return dial_in_server

