"""settings.breakout_room (Zoom's pre-assigned breakout rooms) on POST and PATCH /v2/meetings: echoed
back as the contract says, and in effect in the room: when the host looks at the breakout rooms of the
live meeting, the pre-assigned rooms are there with the signed-in people whose e-mail is listed."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)  # engine calls run on commit

PRESET = {"enable": True, "rooms": [{"name": "Design", "participants": ["ann@example.org"]},
                                    {"name": "Sales", "participants": ["BOB@example.org", "cy@example.org"]}]}


def breakout_state(session, meeting_id):
    response = session.client.get(f"/j/{meeting_id}/breakout", HTTP_X_ROOM_TICKET=session.ticket)
    assert response.status_code == 200, response.content
    return response.json()


def test_pre_assigned_rooms_round_trip_and_take_effect(api, create_meeting, host, joiner, make_user):
    created = create_meeting(password="", settings={"breakout_room": PRESET})  # validated against the contract
    assert created["settings"]["breakout_room"] == PRESET
    mid = created["id"]
    changed = {"enable": True, "rooms": [PRESET["rooms"][0], {**PRESET["rooms"][1], "name": "Marketing"}]}
    assert api.patch(f"/v2/meetings/{mid}", {"settings": {"breakout_room": changed}}, format="json").status_code == 204
    assert api.get(f"/v2/meetings/{mid}").json()["settings"]["breakout_room"] == changed

    host_session = joiner(host)
    host_session.join(mid)
    people = {}
    for email, name in [("ann@example.org", "Ann"), ("bob@example.org", "Bob")]:
        people[name] = joiner(make_user(email=email, display_name=name))
        assert people[name].join(mid)["state"] == "admitted"
    dan = joiner()
    dan.join(mid, name="Dan")  # anonymous: matched by nothing

    seen = breakout_state(host_session, mid)
    assert [room["name"] for room in seen["rooms"]] == ["Design", "Marketing"]
    assert [[p["name"] for p in room["people"]] for room in seen["rooms"]] == [["Ann"], ["Bob"]]
    assert [room["emails"] for room in seen["rooms"]] == [[], ["cy@example.org"]]  # not here yet
    assert sorted(p["name"] for p in seen["unassigned"]) == ["Dan", "Hana Host"]

    design = seen["rooms"][0]["id"]
    assert breakout_state(people["Ann"], mid)["my_room"] == design
    assert breakout_state(dan, mid)["my_room"] is None
    assert host_session.post(f"/j/{mid}/breakout/manage", ticket=host_session.ticket, action="open").status_code == 200
    moved = people["Ann"].post(f"/j/{mid}/breakout/move", ticket=people["Ann"].ticket, room=design)
    assert moved.status_code == 200 and moved.json()["room"]["name"] == "Design"
    assert dan.post(f"/j/{mid}/breakout/move", ticket=dan.ticket, room=design).status_code == 403

    # A host's choice replaces the pre-assignment.
    host_session.post(f"/j/{mid}/breakout/manage", ticket=host_session.ticket, action="assign",
                      participant=people["Bob"].answer["participant_id"], room=None)
    assert breakout_state(people["Bob"], mid)["my_room"] is None


def test_no_rooms_unless_enabled(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"breakout_room": {**PRESET, "enable": False}})
    assert created["settings"]["breakout_room"]["enable"] is False
    host_session = joiner(host)
    host_session.join(created["id"])
    assert breakout_state(host_session, created["id"])["rooms"] == []
