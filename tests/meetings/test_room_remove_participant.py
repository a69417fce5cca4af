"""POST /j/<id>/participants/<media participant id>/remove: a host takes someone out of the call."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from meetings.models import Participant
from mind.client import get_mind
from mind.realtime import notifications


@pytest.fixture
def in_call(create_meeting, host, joiner):
    """A live meeting with the host and two guests in it."""
    created = create_meeting(password="")
    people = {"host": joiner(host)}
    people["host"].join(created["id"])
    for name in ("Gus", "Gwen"):
        people[name] = joiner()
        people[name].join(created["id"], name=name)
    return created, people


def remove(session, meeting_id, target, action="remove"):
    return session.post(f"/j/{meeting_id}/participants/{target.answer['media_participant_id']}/{action}",
                        ticket=session.ticket)


@pytest.mark.django_db
def test_the_host_removes_a_guest(in_call):
    created, people = in_call
    gus = people["Gus"]
    conference_id = gus.answer["conference"]["id"]
    response = remove(people["host"], created["id"], gus)
    assert response.status_code == 200
    assert response.json() == {"participant_id": gus.answer["media_participant_id"], "action": "remove",
                               "role": "attendee", "state": "removed"}
    stored = Participant.objects.get(key=gus.answer["participant_id"])
    assert stored.status == Participant.Status.LEFT and stored.removed and stored.left_at
    assert gus.status(created["id"])["state"] == "removed"
    names = sorted(p["name"] for p in get_mind().list_participants(conference_id))
    assert names == ["Gwen", "Hana Host"]  # gone from the engine: their token is dead
    assert gus.post(f"/j/{created['id']}/leave", ticket=gus.ticket).json()["state"] == "removed"


@pytest.mark.django_db
def test_a_removed_signed_in_user_cannot_come_back(create_meeting, host, joiner, make_user):
    created = create_meeting(password="")
    host_session = joiner(host)
    host_session.join(created["id"])
    user = make_user(display_name="Rita Rejoin")
    rita = joiner(user)
    rita.join(created["id"])
    assert remove(host_session, created["id"], rita).status_code == 200
    again = joiner(user).join(created["id"])
    assert again["state"] == "denied" and again["reason"] == "removed"


@pytest.mark.django_db
def test_only_hosts_and_co_hosts_remove_people(in_call, joiner):
    created, people = in_call
    response = remove(people["Gwen"], created["id"], people["Gus"])
    assert response.status_code == 403 and "error" in response.json()
    assert joiner().post(f"/j/{created['id']}/participants/{people['Gus'].answer['media_participant_id']}/remove").status_code == 403
    assert people["Gus"].status(created["id"])["state"] == "admitted"


@pytest.mark.django_db
def test_the_host_cannot_be_removed_and_nobody_removes_themselves(in_call):
    created, people = in_call
    host = people["host"]
    response = remove(host, created["id"], host)
    assert response.status_code == 400 and "leave" in response.json()["error"]
    host.post(f"/j/{created['id']}/participants/{people['Gus'].answer['media_participant_id']}/make-cohost", ticket=host.ticket)
    response = remove(people["Gus"], created["id"], host)
    assert response.status_code == 403 and "host" in response.json()["error"]


@pytest.mark.django_db
def test_someone_not_in_the_call_is_404(in_call):
    created, people = in_call
    host = people["host"]
    assert host.post(f"/j/{created['id']}/participants/nobody/remove", ticket=host.ticket).status_code == 404
    remove(host, created["id"], people["Gus"])
    assert remove(host, created["id"], people["Gus"]).status_code == 404  # removed already


@pytest.mark.django_db
def test_an_unknown_action_is_400(in_call):
    created, people = in_call
    response = remove(people["host"], created["id"], people["Gus"], action="explode")
    assert response.status_code == 400 and "action must be one of" in response.json()["error"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_removed_persons_session_is_told_to_close_with_4001(in_call):
    created, people = in_call
    gus = people["Gus"]
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(notifications.participant_group(gus.answer["media_participant_id"]), channel)
    response = await sync_to_async(remove)(people["host"], created["id"], gus)
    assert response.status_code == 200
    event = await asyncio.wait_for(layer.receive(channel), timeout=10)
    assert event == {"type": "mind.session.end", "code": 4001}
    from django.db import connections

    await sync_to_async(connections.close_all)()
