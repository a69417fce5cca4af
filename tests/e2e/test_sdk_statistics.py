"""QoS statistics sampled from getStats() in the browser: per-stream video/audio statistics, the
session's transport statistics, the QoS sample, and the audio level used for active speakers."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_statistics_of_received_and_sent_media(sdk_room):
    alice, bob = sdk_room("speaker", "speaker")
    alice.call("publish")
    bob.wait_for_video(alice.id)

    received = bob.wait_for(
        "(id) => { const s = window.harness.statistics(id);"
        " return s.video.width > 0 && s.video.bitrate > 0 && s.video.rate > 0 && s.audio.bitrate > 0 ? s : false; }",
        alice.id, message="statistics of Alice's received stream")
    assert received["video"]["height"] > 0
    assert 0 <= received["video"]["losses"] <= 100
    # The transport: UDP between the browser and Janus on the test veth.
    assert received["session"]["protocol"] == "udp"
    assert received["session"]["remoteAddress"] == "10.99.0.1"
    assert received["session"]["remotePort"] > 0
    qos = received["qos"]
    incoming = {(s["participantId"], s["media"], s["kind"]) for s in qos["incoming"]}
    assert {(alice.id, "primary", "video"), (alice.id, "primary", "audio")} <= incoming

    sent = alice.wait_for(
        "() => { const s = window.harness.statistics();"
        " return s.localVideo.bitrate > 0 && s.localVideo.width > 0 && s.localAudio.bitrate > 0 ? s : false; }",
        message="statistics of Alice's sent stream")
    assert set(sent["qos"]["outgoing"]["primary"]) == {"audio", "video"}

    # The fake microphone beeps: the received audio level rises above zero at some point.
    bob.wait_for("(id) => window.harness.statistics(id).audioLevel > 0", alice.id, message="an audio level")
