"""A removed participant's feeds that nobody takes out of the Janus room (the process holding
their session died) are kicked a few seconds later; their way back into the room is closed at
once. (The kick waits so it never races the participant's own session leaving: Janus 1.1 can crash
when a kick closes the PeerConnection of a handle being detached at that moment.)"""

import time

import pytest

from mind.engine import rooms
from mind.engine.janus import Janus, VideoRoomAdmin
from mind.engine.receivers import KICK_DELAY_SECONDS
from mind.models import Conference

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]  # the namespace's Janus


def allowed_tokens(room_id: int, conference_id: str) -> list[str]:
    with VideoRoomAdmin() as admin:  # the answer to any "allowed" request is the whole list
        return admin.request({"request": "allowed", "room": room_id, "secret": rooms.room_secret(conference_id),
                              "action": "remove", "allowed": ["nobody"]})["allowed"]


def feeds_of(room_id: int, participant_id: str) -> list[int]:
    with VideoRoomAdmin() as admin:
        listing = admin.request({"request": "listparticipants", "room": room_id})
    return [feed["id"] for feed in listing.get("participants", [])
            if (rooms.parse_display(feed.get("display")) or ("",))[0] == participant_id]


def test_a_feed_left_behind_is_kicked_and_the_participant_cannot_come_back(mind):
    cid = mind.create_conference(name="Left behind")["id"]
    alice = mind.create_participant(cid, name="Alice")
    conference = Conference.objects.get(pk=cid)
    room_id = conference.janus_room_id
    acl_token = rooms.participant_acl_token(alice["id"])
    with VideoRoomAdmin() as admin:
        rooms.ensure_room_sync(admin, conference)
        admin.request({"request": "allowed", "room": room_id, "secret": rooms.room_secret(cid),
                       "action": "add", "allowed": [acl_token]})
    # Alice's feed as a web process left it when it died: joined, then nobody looks after it.
    janus = Janus()
    session = janus.create_session()
    try:
        join = {"request": "join", "ptype": "publisher", "room": room_id, "token": acl_token,
                "display": rooms.feed_display(alice["id"], "primary")}
        handle = janus.attach(session)
        janus._post(f"{janus.url}/{session}/{handle}", {"janus": "message", "body": join})
        deadline = time.monotonic() + 10
        while not feeds_of(room_id, alice["id"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(feeds_of(room_id, alice["id"])) == 1
        assert acl_token in allowed_tokens(room_id, cid)

        assert mind.delete(f"{cid}/participants/{alice['id']}").status_code == 200
        removed_at = time.monotonic()
        # No way back in, at once: her token is off the room's allow-list.
        assert acl_token not in allowed_tokens(room_id, cid)
        # Her feed is kicked once her own session had its chance to leave.
        while feeds_of(room_id, alice["id"]) and time.monotonic() < removed_at + KICK_DELAY_SECONDS + 20:
            time.sleep(0.2)
        assert feeds_of(room_id, alice["id"]) == []
        assert time.monotonic() - removed_at >= KICK_DELAY_SECONDS - 0.5  # not before the leave had its turn
    finally:
        janus.destroy_session(session)
