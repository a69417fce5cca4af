"""Simulcast: a camera published in two layers (rid h, l). Janus forwards one of them to each
receiver, and a receiver picks one with the SDK's setVideoLayer (`configure`); Janus's `layer`
events tell which one it forwards (Session.getVideoLayer). Frame sizes are not compared: on a busy
machine Chrome's encoder may scale its top layer down by itself."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

LAYER = "(id) => window.harness.layerOf(id)"


def test_a_receiver_switches_between_simulcast_layers(sdk_room):
    alice, bob = sdk_room("speaker", "speaker")
    alice.call("publish", {"adaptivity": 2, "width": 640, "height": 360})
    bob.wait_for_video(alice.id)
    sent = alice.wait_for("() => { const p = window.harness.session._publication('primary');"
                          " return p.transceivers.video.sender.getParameters().encodings.map(e => e.rid); }")
    assert sent == ["h", "l"]
    # On a busy machine Chrome's CPU adaptation may shed the top layer; ask it to lower the frame
    # rate instead, so the top layer stays on (the test is about switching, not about adaptation).
    alice.js("async () => { const s = window.harness.session._publication('primary').transceivers.video.sender;"
             " const p = s.getParameters(); p.degradationPreference = 'maintain-resolution'; await s.setParameters(p); }")
    top = bob.wait_for(f"(id) => {{ const l = ({LAYER})(id); return l && l.substream > 0 ? l : false; }}", alice.id,
                       timeout=90, message="Janus forwarding the top layer (Chrome enables it as its bandwidth estimate grows)")

    reply = bob.call("setLayer", alice.id, 0)
    assert reply["type"] == "configured" and reply["substream"] == 0
    bob.wait_for(f"(id) => {{ const l = ({LAYER})(id); return l && l.substream === 0; }}", alice.id,
                 message="Janus forwarding the low layer")
    bob.wait_for_video(alice.id)

    bob.call("setLayer", alice.id, top["substream"])
    bob.wait_for(f"(id) => {{ const l = ({LAYER})(id); return l && l.substream === {top['substream']}; }}",
                 alice.id, timeout=60, message="Janus forwarding the top layer again")
    bob.wait_for_video(alice.id)
