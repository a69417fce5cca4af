"""A presenter's screen share (getDisplayMedia in Chromium) arrives as its secondary stream."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_screen_share_arrives_as_the_secondary_stream(sdk_room, screenshot):
    alice, bob = sdk_room("presenter", "speaker")
    alice.call("publish")
    bob.wait_for_video(alice.id)

    state = alice.call("shareScreen")
    assert state["me"]["secondaryVideo"] is True
    bob.wait_for_event("onParticipantSecondaryMediaChanged", f"(p) => p.id === '{alice.id}' && p.secondaryVideo")
    shared = bob.wait_for_video(alice.id, "secondary")
    assert shared["videoWidth"] > 0
    # The camera is a different stream, still playing.
    assert bob.video_of(alice.id, "primary")["mid"] != shared["mid"]
    screenshot(bob.page, "screen-share")

    alice.call("stopScreen")
    bob.wait_for_event("onParticipantSecondaryMediaChanged", f"(p) => p.id === '{alice.id}' && !p.secondaryVideo")


def test_a_speaker_does_not_share_a_screen(sdk_room, web_server):
    alice, bob = sdk_room("speaker", "speaker")
    state = alice.call("shareScreen")  # a speaker may not publish secondary media
    assert state["me"]["secondaryVideo"] is False
    alice.call("publish")
    bob.wait_for_video(alice.id)
    assert web_server.get_participant(alice.conference_id, alice.id)["secondaryMedia"] == {"audio": False, "video": False}
    assert not bob.events("onParticipantSecondaryMediaChanged")
