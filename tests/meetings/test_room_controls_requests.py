"""The room's host-control endpoints refuse bad requests with 4xx JSON: CSRF, methods, bodies."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_call(create_meeting, host, joiner):
    created = create_meeting(password="")
    host_session, guest = joiner(host), joiner()
    host_session.join(created["id"])
    guest.join(created["id"], name="Gus")
    return created, host_session, guest


def test_posts_need_the_csrf_token(in_call, host):
    created, host_session, guest = in_call
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(host)
    page = browser.get(f"/j/{created['id']}")
    token = page.cookies["csrftoken"].value
    url = f"/j/{created['id']}/participants/{guest.answer['media_participant_id']}/mute"
    body = json.dumps({"ticket": host_session.ticket})
    assert browser.post(url, body, content_type="application/json").status_code == 403
    assert guest.status(created["id"])["state"] == "admitted"
    response = browser.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"ticket": 5}', '{"ticket": "' + "x" * 5000 + '"}'])
def test_malformed_bodies_are_400_json(in_call, body):
    created, host_session, guest = in_call
    response = host_session.client.post(
        f"/j/{created['id']}/participants/{guest.answer['media_participant_id']}/remove", body,
        content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert guest.status(created["id"])["state"] == "admitted"


def test_only_post(in_call):
    created, host_session, guest = in_call
    url = f"/j/{created['id']}/participants/{guest.answer['media_participant_id']}/mute"
    assert host_session.client.get(url).status_code == 405
    assert host_session.client.get(f"/j/{created['id']}/roster", HTTP_X_ROOM_TICKET=host_session.ticket).status_code == 200
    assert host_session.post(f"/j/{created['id']}/roster", ticket=host_session.ticket).status_code == 405


def test_another_meetings_ticket_does_not_work(in_call, create_meeting, host, joiner):
    created, _, guest = in_call
    other = create_meeting(password="")
    other_host = joiner(host)
    other_host.join(other["id"])
    response = other_host.post(f"/j/{created['id']}/participants/{guest.answer['media_participant_id']}/remove",
                               ticket=other_host.ticket)
    assert response.status_code == 403
    assert guest.status(created["id"])["state"] == "admitted"


def test_an_ended_meeting_has_nobody_to_act_on(in_call):
    created, host_session, guest = in_call
    host_session.post(f"/j/{created['id']}/control", ticket=host_session.ticket, action="end")
    response = host_session.post(
        f"/j/{created['id']}/participants/{guest.answer['media_participant_id']}/mute", ticket=host_session.ticket)
    assert response.status_code == 403 and response.json()["error"]
