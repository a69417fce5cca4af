"""Stopping the microphone shows on the other side (onParticipantMediaChanged, audio off) while
the video keeps playing; starting it again brings the audio back."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

MEDIA_EVENT = "(pid, audio, video) => (p) => p.id === pid && p.audio === audio && p.video === video"


def test_stopping_and_restarting_the_microphone_is_seen_by_the_others(sdk_room):
    alice, bob = sdk_room("speaker", "speaker")
    alice.call("publish")
    bob.wait_for_video(alice.id)

    state = alice.call("stopAudio")
    assert state["me"]["audio"] is False and state["me"]["video"] is True
    bob.wait_for_event("onParticipantMediaChanged", f"({MEDIA_EVENT})('{alice.id}', false, true)")
    # The camera went on without a new PeerConnection: frames keep coming.
    bob.wait_for_video(alice.id)

    alice.call("startAudio")
    bob.wait_for_event("onParticipantMediaChanged", f"({MEDIA_EVENT})('{alice.id}', true, true)")
    before = bob.video_of(alice.id)["audioSamples"]
    bob.wait_for("async ([id, before]) => (await window.harness.videoOf(id)).audioSamples > before + 48000",
                 [alice.id, before], message="audio again after the microphone came back")
