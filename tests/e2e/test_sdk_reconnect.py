"""A dropped socket (network blip): the SDK reports FAILED, reconnects and resumes the same server
session; the media never stopped and nobody saw the participant leave."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dropped_socket_resumes_without_interrupting_media(sdk_room):
    alice, bob = sdk_room("speaker", "speaker")
    alice.call("publish")
    bob.wait_for_video(alice.id)
    before = alice.state()

    alice.call("dropSocket")
    alice.wait_for_event("onSessionStateChanged", "(s) => s.state === 'failed'")
    alice.wait_for("() => window.harness.state().state === 'normal'", message="the session back to normal")
    assert alice.state()["serverSessionId"] == before["serverSessionId"]

    bob.wait_for_video(alice.id)  # frames keep being decoded: same PeerConnections
    alice.call("sendToAll", "still here")
    bob.wait_for_event("onMeReceivedMessageFromParticipant", "(me, text) => text === 'still here'")
    assert not bob.events("onParticipantExited")


def test_switching_the_camera_replaces_the_track_without_renegotiation(sdk_room):
    alice, bob = sdk_room("speaker", "speaker")
    alice.call("publish")
    bob.wait_for_video(alice.id)
    result = alice.call("switchCamera")
    assert result == {"samePeerConnection": True, "newTrack": True, "trackLive": True}
    bob.wait_for_video(alice.id)
    assert not bob.events("onParticipantMediaChanged") or all(
        e["args"][0]["video"] for e in bob.events("onParticipantMediaChanged"))
