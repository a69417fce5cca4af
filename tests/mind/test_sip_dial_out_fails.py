"""A dial-out that is not answered ends cleanly: the Mind status, the participant stays offline, no handle left."""

import pytest

from tests.mind.media_peer import has_janus_handles
from tests.mind.sip_far_end import HOST, SippUas, free_udp_port
from tests.mind.sip_helpers import sip_url, state

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media, pytest.mark.usefixtures("sip_process")]


def test_busy_phone(mind, tmp_path):
    cid = mind.create_conference(name="sip")["id"]
    phone = mind.create_participant(cid, name="Phone")
    far_end = SippUas("busy", tmp_path)
    try:
        response = mind.post(sip_url(cid, phone["id"], "dial"), {"from": "sip:conference@10.99.0.1", "to": far_end.uri})
        assert far_end.wait() == 0, far_end.messages()
    finally:
        far_end.stop()
    assert (response.status_code, response.json()) == (200, {"status": "busy"})
    assert state(phone["id"]) == {"online": False, "audio": False, "video": False, "sip_status": "busy"}
    assert not has_janus_handles(phone["id"])


def test_unreachable_uri(mind):
    """Nothing listens there: the INVITE is refused by the network (ICMP), the call is unavailable."""
    cid = mind.create_conference(name="sip")["id"]
    phone = mind.create_participant(cid, name="Phone")
    response = mind.post(sip_url(cid, phone["id"], "dial"),
                         {"from": "sip:conference@10.99.0.1", "to": f"sip:nobody@{HOST}:{free_udp_port()}", "timeout": 5})
    assert (response.status_code, response.json()) == (200, {"status": "unavailable"})
    assert state(phone["id"]) == {"online": False, "audio": False, "video": False, "sip_status": "unavailable"}
    assert not has_janus_handles(phone["id"])
    # The participant can be dialed again: nothing of the failed call is left in the way.
    assert mind.post(sip_url(cid, phone["id"], "hangup")).status_code == 200
