"""The server ending a session: deleting the participant expels it (onMeExpelled), deleting the
conference ends it for everyone (onConferenceEnded). Others see the expelled one leave."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_deleting_the_participant_expels_it(sdk_room, web_server):
    alice, bob = sdk_room("moderator", "speaker")
    bob.call("publish")
    alice.wait_for_video(bob.id)

    web_server.delete_participant(bob.conference_id, bob.id)
    event = bob.wait_for_event("onMeExpelled")
    assert event["args"][0]["id"] == bob.id
    alice.wait_for_event("onParticipantExited", f"(p) => p.id === '{bob.id}'")
    assert all(p["id"] != bob.id for p in alice.state()["participants"])
    assert not bob.events("onSessionStateChanged")  # ended, not reconnecting


def test_deleting_the_conference_ends_it_for_everyone(sdk_room, web_server):
    alice, bob = sdk_room("moderator", "speaker")
    web_server.delete_conference(alice.conference_id)
    for user in (alice, bob):
        event = user.wait_for_event("onConferenceEnded")
        assert event["args"][0]["id"] == alice.conference_id
        assert not user.events("onMeExpelled")
