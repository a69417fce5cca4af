"""Joining: the waiting room holds attendees until a host admits or denies them."""

import pytest

from meetings.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_with_waiting_room(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"waiting_room": True})
    host_session = joiner(host)
    host_session.join(created["id"])
    return created, host_session


def test_attendees_wait_and_are_admitted_by_the_host(meeting_with_waiting_room, joiner):
    created, host_session = meeting_with_waiting_room
    guest = joiner()
    answer = guest.join(created["id"], name="Guest")
    assert answer["state"] == "waiting_room" and answer["participant_token"] is None and answer["conference"] is None
    assert guest.status(created["id"])["state"] == "waiting_room"

    lobby = host_session.client.get(f"/j/{created['id']}/lobby", HTTP_X_ROOM_TICKET=host_session.ticket).json()
    assert [(w["participant_id"], w["name"]) for w in lobby["waiting"]] == [(answer["participant_id"], "Guest")]

    response = host_session.post(f"/j/{created['id']}/lobby/{answer['participant_id']}/admit", ticket=host_session.ticket)
    assert response.status_code == 200 and response.json()["state"] == "admitted"
    polled = guest.status(created["id"])
    assert polled["state"] == "admitted" and polled["conference"]["instance_uuid"]


def test_the_host_can_deny(meeting_with_waiting_room, joiner):
    created, host_session = meeting_with_waiting_room
    guest = joiner()
    answer = guest.join(created["id"], name="Guest")
    response = host_session.post(f"/j/{created['id']}/lobby/{answer['participant_id']}/deny", ticket=host_session.ticket)
    assert response.status_code == 200
    assert guest.status(created["id"])["state"] == "denied"
    assert Participant.objects.get(key=answer["participant_id"]).status == Participant.Status.DENIED


def test_only_a_host_can_admit(meeting_with_waiting_room, joiner):
    created, host_session = meeting_with_waiting_room
    first, second = joiner(), joiner()
    first_answer = first.join(created["id"], name="First")
    second.join(created["id"], name="Second")
    response = second.post(f"/j/{created['id']}/lobby/{first_answer['participant_id']}/admit", ticket=second.ticket)
    assert response.status_code == 403
    assert first.status(created["id"])["state"] == "waiting_room"
    anonymous = joiner().post(f"/j/{created['id']}/lobby/{first_answer['participant_id']}/admit")
    assert anonymous.status_code == 403


def test_the_signed_in_host_can_admit_without_a_ticket(meeting_with_waiting_room, joiner, host):
    created, _ = meeting_with_waiting_room
    guest = joiner()
    answer = guest.join(created["id"], name="Guest")
    response = joiner(host).post(f"/j/{created['id']}/lobby/{answer['participant_id']}/admit")
    assert response.status_code == 200 and guest.status(created["id"])["state"] == "admitted"


def test_hosts_skip_the_waiting_room(create_meeting, host, make_user, joiner):
    alternative = make_user(account=host.account)
    created = create_meeting(password="", settings={"waiting_room": True, "alternative_hosts": alternative.email})
    joiner(host).join(created["id"])
    answer = joiner(alternative).join(created["id"])
    assert answer["state"] == "admitted" and answer["role"] == "alternative_host"


def test_admitting_someone_not_waiting_is_404(meeting_with_waiting_room):
    created, host_session = meeting_with_waiting_room
    response = host_session.post(f"/j/{created['id']}/lobby/nobody/admit", ticket=host_session.ticket)
    assert response.status_code == 404


def test_a_forged_ticket_is_refused(meeting_with_waiting_room, joiner):
    created, _ = meeting_with_waiting_room
    response = joiner().client.get(f"/j/{created['id']}/join/status", HTTP_X_ROOM_TICKET="forged")
    assert response.status_code == 403
