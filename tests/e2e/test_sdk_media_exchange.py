"""Two browsers join through the SDK, publish the fake camera and microphone, and each plays the
other's video (frames decoded, picture size known) and receives its audio."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_participants_see_and_hear_each_other(sdk_room, screenshot):
    alice, bob = sdk_room("moderator", "speaker")
    # Each sees the other as an online participant (from the snapshot or the joined notification).
    bob.wait_for("(id) => window.harness.state().participants.some(p => p.id === id)", alice.id)
    alice.wait_for("(id) => window.harness.state().participants.some(p => p.id === id)", bob.id)

    for user in (alice, bob):
        state = user.call("publish")
        assert state["me"]["audio"] is True and state["me"]["video"] is True

    # The other side learns the media flags from the server's notifications.
    alice.wait_for("(id) => window.harness.state().participants.some(p => p.id === id && p.audio && p.video)", bob.id)
    bob.wait_for("(id) => window.harness.state().participants.some(p => p.id === id && p.audio && p.video)", alice.id)

    seen_by_bob = bob.wait_for_video(alice.id)
    seen_by_alice = alice.wait_for_video(bob.id)
    assert seen_by_bob["videoWidth"] > 0 and seen_by_bob["videoHeight"] > 0
    assert seen_by_alice["videoWidth"] > 0 and seen_by_alice["videoHeight"] > 0
    assert seen_by_bob["paused"] is False and seen_by_alice["paused"] is False

    # Audio arrives too: decoded samples keep growing.
    for user, other in ((alice, bob), (bob, alice)):
        user.wait_for("async (id) => (await window.harness.videoOf(id)).audioSamples > 48000", other.id,
                      message="a second of audio from the other participant")
    screenshot(bob.page, "bob-sees-alice")
    assert bob.events("onParticipantMediaChanged") or bob.events("onParticipantJoined")
