"""SIP dial-out, forward and hang-up on a participant: validation and permissions (the application
or a moderator). Real calls to a SIP phone are in tests/mind/test_sip_*.py.
"""

import pytest

from tests.mind.sip_helpers import DIAL, url


@pytest.mark.parametrize("body", [
    {"to": "sip:a@b"}, {"from": "sip:a@b"}, {**DIAL, "timeout": 4}, {**DIAL, "timeout": 31},
    {**DIAL, "timeout": "soon"}, {**DIAL, "timeout": True}, {**DIAL, "proxy": 5},
    {**DIAL, "to": "janedoe@example.com"}, {**DIAL, "from": "John <http://example.com>"},
    {**DIAL, "to": "Jane <sip:jane@example.com>\r\nX-Injected: 1"}, {**DIAL, "proxy": "example.com:5060"},
])
def test_dial_out_validation_is_400(mind, conference, people, body):
    assert mind.post(url(conference, people["speaker"], "dial"), body).status_code == 400


@pytest.mark.usefixtures("sip_process")
def test_forward_needs_a_sip_destination_and_a_call(mind, conference, people):
    assert mind.post(url(conference, people["speaker"], "forward"), {}).status_code == 400
    assert mind.post(url(conference, people["speaker"], "forward"), {"destination": "reception"}).status_code == 400
    response = mind.post(url(conference, people["speaker"], "forward"), {"destination": "sip:x@example.com"})
    assert response.status_code == 409  # there is no call to forward


@pytest.mark.usefixtures("sip_process")
def test_hang_up_without_a_call_does_nothing(mind, conference, people):
    assert mind.post(url(conference, people["speaker"], "hangup")).status_code == 200


@pytest.mark.parametrize("role", ["presenter", "speaker", "attendee"])
def test_non_moderators_are_403(mind, conference, people, role):
    token = people[role]["token"]
    target = people["attendee"]
    assert mind.post(url(conference, target, "dial"), DIAL, token=token).status_code == 403
    assert mind.post(url(conference, target, "forward"), {"destination": "sip:x@y"}, token=token).status_code == 403
    assert mind.post(url(conference, target, "hangup"), token=token).status_code == 403


@pytest.mark.usefixtures("sip_process")
def test_moderator_passes_the_permission_check(mind, conference, people):
    token = people["moderator"]["token"]
    assert mind.post(url(conference, people["attendee"], "hangup"), token=token).status_code == 200


def test_unknown_participant_is_404(mind, conference):
    response = mind.post(f"{conference['id']}/participants/00000000-0000-4000-8000-000000000000/dial", DIAL)
    assert response.status_code == 404


def test_non_json_is_415(mind, conference, people):
    assert mind.post(url(conference, people["speaker"], "dial"), raw=b"x", content_type="text/plain").status_code == 415
