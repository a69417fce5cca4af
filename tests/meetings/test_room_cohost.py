"""POST /j/<id>/participants/<id>/make-cohost and /revoke-cohost: a host shares the host controls.
Co-hosts are presenters in the media engine (no engine moderation: test_room_engine_token_privileges.py) and run the room (admit, mute, remove attendees),
but only hosts end the meeting for everyone and appoint co-hosts."""

import pytest

from meetings.models import Participant
from tests.meetings.helpers import act, engine_role

pytestmark = pytest.mark.django_db



def test_the_host_makes_and_unmakes_a_co_host(in_call):
    created, host_session, guests = in_call
    cora = guests["Cora"]
    assert engine_role(cora) == "speaker"
    response = act(host_session, created["id"], cora, "make-cohost")
    assert response.status_code == 200 and response.json()["role"] == "co_host"
    assert Participant.objects.get(key=cora.answer["participant_id"]).role == "co_host"
    assert engine_role(cora) == "presenter"
    assert cora.status(created["id"])["role"] == "co_host"
    assert act(host_session, created["id"], cora, "make-cohost").status_code == 200  # already: nothing changes

    response = act(host_session, created["id"], cora, "revoke-cohost")
    assert response.status_code == 200 and response.json()["role"] == "attendee"
    assert engine_role(cora) == "speaker"


def test_a_co_host_runs_the_room(in_call, joiner):
    created, host_session, guests = in_call
    cora, gus = guests["Cora"], guests["Gus"]
    assert act(gus, created["id"], cora, "mute").status_code == 403
    act(host_session, created["id"], cora, "make-cohost")

    assert act(cora, created["id"], gus, "mute").status_code == 200
    newcomer = joiner()
    waiting = newcomer.join(created["id"], name="Nia")
    lobby = cora.client.get(f"/j/{created['id']}/lobby", HTTP_X_ROOM_TICKET=cora.ticket).json()["waiting"]
    assert [w["name"] for w in lobby] == ["Nia"]
    admitted = cora.post(f"/j/{created['id']}/lobby/{waiting['participant_id']}/admit", ticket=cora.ticket)
    assert admitted.status_code == 200 and newcomer.status(created["id"])["state"] == "admitted"
    assert cora.post(f"/j/{created['id']}/control", ticket=cora.ticket, action="mute_all").status_code == 200
    assert act(cora, created["id"], gus, "remove").status_code == 200


def test_only_hosts_end_the_meeting_or_appoint_co_hosts(in_call):
    created, host_session, guests = in_call
    cora, gus = guests["Cora"], guests["Gus"]
    act(host_session, created["id"], cora, "make-cohost")
    response = act(cora, created["id"], gus, "make-cohost")
    assert response.status_code == 403 and response.json()["error"] == "Only the host can do this."
    response = cora.post(f"/j/{created['id']}/control", ticket=cora.ticket, action="end")
    assert response.status_code == 403
    assert host_session.status(created["id"])["state"] == "admitted"
    assert act(host_session, created["id"], host_session, "make-cohost").status_code == 400  # hosts have it all


def test_mute_all_leaves_co_hosts_alone(in_call):
    created, host_session, guests = in_call
    act(host_session, created["id"], guests["Cora"], "make-cohost")
    host_session.post(f"/j/{created['id']}/control", ticket=host_session.ticket, action="mute_all")
    muted = dict(Participant.objects.filter(meeting_id=created["id"]).values_list("name", "muted"))
    assert muted == {"Hana Host": False, "Cora": False, "Gus": True}
