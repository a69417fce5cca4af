"""Least privilege for the engine token a browser holds: hosts and co-hosts get a media role that
publishes (camera, microphone, screen) but cannot moderate through the Mind REST API. Moderator
actions (roles, SIP calls, recording, expelling) go through /j/<id>/... , which check the meeting
role and audit. A co-host can never demote or remove the host."""

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.meetings.helpers import act, engine_role

pytestmark = pytest.mark.django_db


def engine(token, method, path, body=None):
    """A browser calling the Mind REST API directly with its participant token."""
    return Client().generic(method, f"/mind/{settings.MIND_APPLICATION_ID}/{path}",
                            json.dumps(body) if body is not None else "", content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_co_hosts_engine_token_cannot_moderate(in_call):
    created, host_session, guests = in_call
    cora = guests["Cora"]
    assert act(host_session, created["id"], cora, "make-cohost").status_code == 200
    token = cora.status(created["id"])["participant_token"]
    conference = host_session.answer["conference"]["id"]
    host_pid = host_session.answer["media_participant_id"]

    demote = engine(token, "PATCH", f"{conference}/participants/{host_pid}", {"role": "attendee"})
    assert demote.status_code == 403
    assert engine_role(host_session) == "presenter"
    dial = engine(token, "POST", f"{conference}/participants/{host_pid}/dial",
                  {"from": "sip:room@example.com", "to": "sip:+15551234567@example.com"})
    assert dial.status_code == 403
    assert engine(token, "POST", f"{conference}/recording/start").status_code == 403
    assert engine(token, "DELETE", f"{conference}/participants/{host_pid}").status_code == 403


def test_the_hosts_own_engine_token_cannot_moderate_either(in_call):
    created, host_session, guests = in_call
    token = host_session.answer["participant_token"]
    conference = host_session.answer["conference"]["id"]
    gus = guests["Gus"].answer["media_participant_id"]
    assert engine(token, "PATCH", f"{conference}/participants/{gus}", {"role": "moderator"}).status_code == 403
    assert engine(token, "POST", f"{conference}/recording/start").status_code == 403


def test_hosts_and_co_hosts_still_publish_their_screen(in_call):
    created, host_session, guests = in_call
    assert engine_role(host_session) == "presenter"  # camera, microphone and screen
    act(host_session, created["id"], guests["Cora"], "make-cohost")
    assert engine_role(guests["Cora"]) == "presenter"
    act(host_session, created["id"], guests["Cora"], "revoke-cohost")
    assert engine_role(guests["Cora"]) == "speaker"


def test_a_co_host_cannot_demote_or_remove_the_host_through_the_room(in_call):
    created, host_session, guests = in_call
    cora = guests["Cora"]
    act(host_session, created["id"], cora, "make-cohost")
    for action in ("revoke-cohost", "remove"):
        response = act(cora, created["id"], host_session, action)
        assert response.status_code == 403, action
    assert host_session.status(created["id"])["state"] == "admitted"
