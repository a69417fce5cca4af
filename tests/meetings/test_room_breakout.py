"""Breakout rooms (meetings.actions.breakout, /j/<id>/breakout...): hosts and co-hosts set them up and
run them, nobody else; a person's media moves into their room's own engine conference and back without
leaving the meeting; a broadcast and the closing countdown are in everyone's state; recording stays on
the main conference; the rooms' conferences end with the rooms or with the meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from meetings.models import BreakoutRoom, BreakoutSession
from mind.client import MindError, get_mind
from tests.meetings.helpers import act

pytestmark = pytest.mark.django_db(transaction=True)  # engine calls run on commit


def manage(session, meeting_id, action, **body):
    return session.post(f"/j/{meeting_id}/breakout/manage", ticket=session.ticket, action=action, **body)


def state(session, meeting_id):
    response = session.client.get(f"/j/{meeting_id}/breakout", HTTP_X_ROOM_TICKET=session.ticket)
    assert response.status_code == 200, response.content
    return response.json()


def move(session, meeting_id, room):
    return session.post(f"/j/{meeting_id}/breakout/move", ticket=session.ticket, room=room)


def key(session):
    return session.answer["participant_id"]


def in_engine_conference(conference_id, participant_id) -> bool:
    try:
        get_mind().get_participant(conference_id, participant_id)
    except MindError:
        return False
    return True


def rooms_opened(host_session, mid, cora, gus):
    """Two rooms, Cora in the first and Gus in the second, open."""
    rooms = manage(host_session, mid, "create", count=2).json()["rooms"]
    manage(host_session, mid, "assign", participant=key(cora), room=rooms[0]["id"])
    manage(host_session, mid, "assign", participant=key(gus), room=rooms[1]["id"])
    assert manage(host_session, mid, "open").status_code == 200
    return rooms[0]["id"], rooms[1]["id"]


def test_the_host_runs_two_rooms_and_media_moves(in_call):
    created, host_session, guests = in_call
    mid = created["id"]
    cora, gus = guests["Cora"], guests["Gus"]
    main_conference = cora.answer["conference"]["id"]

    rooms = manage(host_session, mid, "create", count=2).json()["rooms"]
    assert [room["name"] for room in rooms] == ["Room 1", "Room 2"]
    first, second = rooms[0]["id"], rooms[1]["id"]
    assert manage(host_session, mid, "rename", room=first, name="Design").status_code == 200
    assert manage(host_session, mid, "assign", participant=key(cora), room=first).status_code == 200
    answer = manage(host_session, mid, "auto_assign").json()  # Gus: the emptier room; the host stays out
    assert [[p["name"] for p in room["people"]] for room in answer["rooms"]] == [["Cora"], ["Gus"]]
    assert [p["name"] for p in answer["unassigned"]] == ["Hana Host"]
    seen = state(cora, mid)
    assert seen["my_room"] == first and seen["state"] == "draft" and "people" not in seen["rooms"][0]

    assert move(cora, mid, first).status_code == 409  # not open yet
    opened = manage(host_session, mid, "open").json()
    assert opened["state"] == "open" and opened["round"] == 1
    conferences = dict(BreakoutRoom.objects.values_list("pk", "conference_id"))
    assert len(set(conferences.values()) | {main_conference}) == 3  # each room its own conference

    old_id = cora.answer["media_participant_id"]
    moved = move(cora, mid, first)
    assert moved.status_code == 200, moved.content
    into = moved.json()
    assert into["room"] == {"id": first, "name": "Design"}
    assert into["conference"]["id"] == conferences[first] and into["conference"]["uri"].endswith(conferences[first])
    assert in_engine_conference(conferences[first], into["media_participant_id"])
    assert not in_engine_conference(main_conference, old_id)  # out of the main conference
    assert move(gus, mid, first).status_code == 403  # not his room
    gus_into = move(gus, mid, second).json()
    assert in_engine_conference(conferences[second], gus_into["media_participant_id"])

    # Still in the meeting; a reload rejoins the room's conference.
    status = cora.status(mid)
    assert status["state"] == "admitted" and status["conference"]["id"] == conferences[first]
    assert status["participant_token"] == into["participant_token"]
    seen = state(cora, mid)
    assert seen["current_room"] == {"id": first, "name": "Design"}
    assert [room["count"] for room in seen["rooms"]] == [1, 1]

    # Host controls follow the person into their room's conference.
    cora.answer = status
    assert act(host_session, mid, cora, "mute").status_code == 200

    # The host visits a room and comes back.
    visit = move(host_session, mid, second).json()
    assert in_engine_conference(conferences[second], visit["media_participant_id"])
    back = move(host_session, mid, None).json()
    assert back["room"] is None and back["conference"]["id"] == main_conference
    assert in_engine_conference(main_conference, back["media_participant_id"])

    assert manage(host_session, mid, "broadcast", message="Five minutes left").status_code == 200
    assert state(gus, mid)["message"] == {"id": 1, "text": "Five minutes left", "from": "Hana Host"}

    closing = manage(host_session, mid, "close", countdown_seconds=30).json()
    assert closing["state"] == "closing" and 28 <= closing["closes_in"] <= 30
    assert 0 < state(gus, mid)["closes_in"] <= 30
    BreakoutSession.objects.update(closes_at=timezone.now() - timedelta(seconds=1))  # the countdown is over
    assert state(gus, mid)["state"] == "closed"  # the first read after the deadline closes them
    assert move(cora, mid, first).status_code == 200  # there already: nothing changes
    home = move(cora, mid, None).json()
    assert home["conference"]["id"] == main_conference
    assert in_engine_conference(main_conference, home["media_participant_id"])
    assert not BreakoutRoom.objects.get(pk=first).conference_id  # the last one out of a closed room ends it
    move(gus, mid, None)
    assert not BreakoutRoom.objects.exclude(conference_id="").exists()
    assert state(cora, mid)["current_room"] is None
    actions = set(AuditEvent.objects.filter(action__startswith="meeting.breakout_").values_list("action", flat=True))
    assert actions == {"meeting.breakout_create", "meeting.breakout_rename", "meeting.breakout_assign",
                       "meeting.breakout_auto_assign", "meeting.breakout_open", "meeting.breakout_broadcast",
                       "meeting.breakout_close"}


def test_a_co_host_may_run_them(in_call):
    created, host_session, guests = in_call
    mid = created["id"]
    cora, gus = guests["Cora"], guests["Gus"]
    act(host_session, mid, cora, "make-cohost")
    cora.answer = cora.status(mid)
    response = manage(cora, mid, "create", count=3)
    assert response.status_code == 200 and len(response.json()["rooms"]) == 3
    room = response.json()["rooms"][2]["id"]
    assert manage(cora, mid, "assign", participant=key(gus), room=room).status_code == 200
    assert manage(cora, mid, "open").status_code == 200
    assert move(cora, mid, room).status_code == 200  # a co-host may visit any room
    assert AuditEvent.objects.filter(action="meeting.breakout_open").exists()


def test_an_attendee_is_refused(in_call):
    created, host_session, guests = in_call
    mid = created["id"]
    gus = guests["Gus"]
    for action, body in [("create", {"count": 2}), ("open", {}), ("auto_assign", {}), ("broadcast", {"message": "hi"}),
                         ("close", {}), ("settings", {"allow_choose": True})]:
        response = manage(gus, mid, action, **body)
        assert response.status_code == 403, action
        assert response.json() == {"error": "Only the host or a co-host can do this."}
    assert not BreakoutRoom.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="meeting.breakout_").exists()


def test_another_account_is_refused(in_call, make_user, joiner, create_meeting, api_client):
    created, host_session, guests = in_call
    mid = created["id"]
    outsider = make_user(email="mallory@example.net", display_name="Mallory")
    signed_in = joiner(outsider)
    response = signed_in.client.post(f"/j/{mid}/breakout/manage", '{"action": "create", "count": 2}',
                                     content_type="application/json")
    assert response.status_code == 403  # signed in, not a host of this meeting
    own_meeting = create_meeting(client=api_client(outsider, "meeting:read meeting:write"), password="")
    signed_in.join(own_meeting["id"])  # a host ticket, of another meeting
    assert manage(signed_in, mid, "create", count=2).status_code == 403
    assert signed_in.client.get(f"/j/{mid}/breakout", HTTP_X_ROOM_TICKET=signed_in.ticket).status_code == 403
    assert move(signed_in, mid, None).status_code == 403
    assert not BreakoutRoom.objects.filter(session__instance__meeting_id=mid).exists()


def test_people_choose_a_room_when_allowed(in_call):
    created, host_session, guests = in_call
    mid = created["id"]
    cora, gus = guests["Cora"], guests["Gus"]
    rooms = manage(host_session, mid, "create", count=2).json()["rooms"]
    manage(host_session, mid, "open")
    assert move(gus, mid, rooms[1]["id"]).status_code == 403  # unassigned, choosing not allowed
    answer = manage(host_session, mid, "settings", allow_choose=True).json()
    assert answer["allow_choose"] is True and state(gus, mid)["allow_choose"] is True
    assert move(gus, mid, rooms[1]["id"]).status_code == 200
    assert move(cora, mid, rooms[0]["id"]).status_code == 200


def test_bad_requests_are_clear(in_call):
    created, host_session, guests = in_call
    mid = created["id"]
    assert manage(host_session, mid, "dance").status_code == 400
    assert manage(host_session, mid, "create", count=0).status_code == 400
    assert manage(host_session, mid, "create", count=51).status_code == 400
    assert manage(host_session, mid, "create", count="2").status_code == 400
    assert manage(host_session, mid, "open").status_code == 409  # no rooms yet
    rooms = manage(host_session, mid, "create", count=1).json()["rooms"]
    assert manage(host_session, mid, "rename", room=rooms[0]["id"], name="").status_code == 400
    assert manage(host_session, mid, "rename", room=rooms[0]["id"], name="x" * 65).status_code == 400
    assert manage(host_session, mid, "rename", room=999999, name="A").status_code == 404
    assert manage(host_session, mid, "assign", participant="nobody", room=rooms[0]["id"]).status_code == 404
    assert manage(host_session, mid, "settings", countdown_seconds=301).status_code == 400
    assert manage(host_session, mid, "broadcast", message="hello").status_code == 409  # not open
    assert manage(host_session, mid, "close").status_code == 409
    manage(host_session, mid, "open")
    assert manage(host_session, mid, "create", count=3).status_code == 409  # close them first
    assert manage(host_session, mid, "broadcast", message="").status_code == 400
    assert manage(host_session, mid, "broadcast", message="x" * 501).status_code == 400
    assert move(guests["Gus"], mid, "1").status_code == 400
    assert move(guests["Gus"], mid, 999999).status_code == 404


def test_close_without_countdown_and_open_again(in_call):
    created, host_session, guests = in_call
    mid = created["id"]
    first, _second = rooms_opened(host_session, mid, guests["Cora"], guests["Gus"])
    move(guests["Cora"], mid, first)
    closed = manage(host_session, mid, "close", countdown_seconds=0).json()
    assert closed["state"] == "closed" and closed["closes_in"] is None
    # The empty room's conference ended at once; Cora's room keeps its own until she is back.
    assert list(BreakoutRoom.objects.exclude(conference_id="").values_list("pk", flat=True)) == [first]
    assert move(guests["Gus"], mid, first).status_code == 409  # closed: nobody enters
    move(guests["Cora"], mid, None)
    again = manage(host_session, mid, "open").json()
    assert again["state"] == "open" and again["round"] == 2 and again["message"] is None
    assert BreakoutRoom.objects.filter(conference_id="").count() == 0


def test_recording_and_transcription_stay_on_the_main_conference(in_call):
    created, host_session, guests = in_call
    mid = created["id"]
    first, second = rooms_opened(host_session, mid, guests["Cora"], guests["Gus"])
    move(guests["Cora"], mid, first)
    response = host_session.post(f"/j/{mid}/control", ticket=host_session.ticket, action="recording.start")
    assert response.status_code == 200 and response.json()["recording"] == "recording"
    mind = get_mind()
    response = host_session.post(f"/j/{mid}/control", ticket=host_session.ticket, action="transcription.start")
    assert response.status_code == 200 and response.json()["transcription"] is True
    main = mind.get_conference(host_session.answer["conference"]["id"], detailed=True)
    assert main["recording"]["started"] is True and main["transcription"]["started"] is True
    for room in BreakoutRoom.objects.all():
        conference = mind.get_conference(room.conference_id, detailed=True)
        assert conference["recording"]["started"] is False and conference["transcription"]["started"] is False


def test_the_rooms_end_with_the_meeting(in_call):
    created, host_session, guests = in_call
    mid = created["id"]
    first, second = rooms_opened(host_session, mid, guests["Cora"], guests["Gus"])
    move(guests["Cora"], mid, first)
    room_conferences = list(BreakoutRoom.objects.values_list("conference_id", flat=True))
    assert host_session.post(f"/j/{mid}/control", ticket=host_session.ticket, action="end").status_code == 200
    for conference_id in room_conferences:
        with pytest.raises(MindError):
            get_mind().get_conference(conference_id)
    assert guests["Cora"].status(mid)["state"] == "ended"


def test_leaving_from_a_room_leaves_its_conference(in_call):
    created, host_session, guests = in_call
    mid = created["id"]
    cora = guests["Cora"]
    first, _second = rooms_opened(host_session, mid, cora, guests["Gus"])
    into = move(cora, mid, first).json()
    assert cora.post(f"/j/{mid}/leave", ticket=cora.ticket).json()["state"] == "ended"
    assert not in_engine_conference(into["conference"]["id"], into["media_participant_id"])
    assert manage(host_session, mid, "auto_assign").status_code == 200  # she is not assigned again: gone
    assert [p["name"] for p in state(host_session, mid)["rooms"][0]["people"]] == []
