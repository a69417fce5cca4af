"""Without a running sip process, dial-out, forward and hang-up answer 503 with a clear message (never a
silent no-op): every SIP call lives in the sip process (mind.engine.sip_process)."""

import pytest

from mind.engine.sip_remote import NOT_RUNNING, connect, running_process
from tests.conftest import wait_until
from tests.mind.sip_helpers import DIAL, url


def no_sip_process() -> bool:
    with connect() as client:
        return running_process(client) is None


@pytest.mark.parametrize(("action", "body"), [("dial", DIAL), ("forward", {"destination": "sip:desk@example.com"}),
                                              ("hangup", None)])
def test_sip_requests_without_a_sip_process_are_503(mind, conference, people, action, body):
    # A sip process of an earlier module announced itself for at most PROCESS_TTL seconds.
    wait_until(no_sip_process, timeout=30, message="no sip process to be announced")
    response = mind.post(url(conference, people["speaker"], action), body)
    assert (response.status_code, response.json()) == (503, {"status": 503, "message": NOT_RUNNING})
