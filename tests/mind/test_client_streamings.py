"""mind.client contract: transcription flag and streamings."""

import pytest

from mind.client import MindError


def test_transcription_flag(mind_client):
    cid = mind_client.create_conference()["id"]
    assert mind_client.get_transcription(cid) == {"started": False}
    assert mind_client.set_transcription(cid, True) == {"started": True}
    assert mind_client.get_transcription(cid) == {"started": True}


def test_streamings(mind_client):
    cid = mind_client.create_conference()["id"]
    first = mind_client.create_streaming(cid, url="rtmps://live.example.com/app/key1")
    second = mind_client.create_streaming(cid, url="rtmp://127.0.0.1/live/key2")
    assert mind_client.get_streaming(cid, first["id"]) == first
    assert sorted(s["id"] for s in mind_client.list_streamings(cid)) == sorted([first["id"], second["id"]])
    mind_client.delete_streaming(cid, first["id"])
    assert mind_client.list_streamings(cid) == [second]
    mind_client.delete_all_streamings(cid)
    assert mind_client.list_streamings(cid) == []
    with pytest.raises(MindError) as error:
        mind_client.create_streaming(cid, url="ftp://nope")
    assert error.value.status == 400


@pytest.mark.media  # calls through Janus's SIP plugin, in the sip process
def test_sip(mind_client, sip_process):
    from tests.mind.sip_far_end import HOST, free_udp_port

    cid = mind_client.create_conference()["id"]
    participant = mind_client.create_participant(cid)
    mind_client.sip_hang_up(cid, participant["id"])  # no call: nothing to do
    with pytest.raises(MindError) as error:
        mind_client.sip_dial_out(cid, participant["id"], from_="sip:a@example.com", to="sip:b@example.com", timeout=99)
    assert error.value.status == 400
    # Nothing listens there (tests/mind/test_sip_*.py dial real SIP phones).
    nowhere = f"sip:nobody@{HOST}:{free_udp_port()}"
    assert mind_client.sip_dial_out(cid, participant["id"], from_="sip:a@example.com", to=nowhere,
                                    timeout=5) == {"status": "unavailable"}
    with pytest.raises(MindError) as error:
        mind_client.sip_forward(cid, participant["id"], destination="sip:c@example.com")
    assert error.value.status == 409  # no call to forward
