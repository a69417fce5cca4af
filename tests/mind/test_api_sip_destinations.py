"""SIP dial-out and forward obey the outbound policy: a `to`, `proxy` or `destination` on an internal
address (SSRF over SIP) or on one of our own service ports is refused with 400 before any call."""

import pytest

from tests.mind.sip_helpers import DIAL, url

INTERNAL_SIP = ["sip:bob@127.0.0.1", "Bob <sip:bob@169.254.169.254:5080>", "sip:bob@[::1]:8188",
                "sip:bob@localhost", "sips:bob@10.0.0.1", "sip:bob@0.0.0.0"]


@pytest.mark.parametrize("target", INTERNAL_SIP)
def test_internal_sip_targets_are_refused(mind, conference, people, settings, target):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    participant = people["speaker"]
    for body in ({**DIAL, "to": target}, {**DIAL, "proxy": target.split("<")[-1].rstrip(">")}):
        response = mind.post(url(conference, participant, "dial"), body)
        assert response.status_code == 400, body
        assert "does not connect there" in response.json()["message"]
    forward = mind.post(url(conference, participant, "forward"), {"destination": target})
    assert forward.status_code == 400
