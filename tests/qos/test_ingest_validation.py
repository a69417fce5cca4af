"""qos.ingest: valid samples are stored in one bulk write; impossible or forged ones are refused."""

import time

import pytest

from qos import ingest
from qos.models import QosSample

pytestmark = pytest.mark.django_db


def stream(**over):
    return {"bitrate": 27150, "rtt": 126, "jitter": 4, "losses": 0.03, "delay": 20, "rate": 30,
            "width": 640, "height": 360, **over}


def sample(**over):
    return {"timestamp": time.time() * 1000, "transport": {"protocol": "udp"},
            "outgoing": {"primary": {"video": stream()}}, "incoming": [], **over}


@pytest.fixture
def pair(conference):
    _, (alice, bob) = conference("a", "b")
    _, (stranger,) = conference("x")
    return alice, bob, stranger


def test_a_valid_sample_is_stored(pair):
    alice, bob, _ = pair
    body = sample(incoming=[{"participantId": str(bob.pk), "media": "primary", "kind": "audio",
                             **stream(rate=48000, width=0, height=0)}])
    assert ingest.accept_sample(alice.pk, alice.conference_id, body) == 2
    rows = QosSample.objects.filter(participant_id=alice.pk)
    assert sorted((r.direction, r.kind, str(r.peer_id)) for r in rows) == [
        ("in", "audio", str(bob.pk)), ("out", "video", "None")]
    stored = rows.get(direction="out")
    assert (stored.bitrate_bps, stored.rtt_ms, stored.loss_pct, stored.source) == (27150, 126, 0.03, "client")


@pytest.mark.parametrize("bad", [
    sample(outgoing={"primary": {"video": stream(losses=150)}}),
    sample(outgoing={"primary": {"video": stream(bitrate=-1)}}),
    sample(outgoing={"primary": {"video": stream(rtt="fast")}}),
    sample(outgoing={"tertiary": {"video": stream()}}),
    sample(timestamp=0),
    sample(transport={"protocol": "carrier-pigeon"}),
])
def test_impossible_values_are_refused(pair, bad):
    alice, _, _ = pair
    with pytest.raises(ingest.SampleRefused):
        ingest.accept_sample(alice.pk, alice.conference_id, bad)
    assert not QosSample.objects.exists()


def test_a_stream_attributed_to_another_conference_is_refused(pair):
    alice, _, stranger = pair
    forged = sample(incoming=[{"participantId": str(stranger.pk), "media": "primary", "kind": "video", **stream()}])
    with pytest.raises(ingest.SampleRefused):
        ingest.accept_sample(alice.pk, alice.conference_id, forged)


def test_a_participant_who_is_gone_is_refused(pair):
    alice, _, _ = pair
    conference_id = alice.conference_id
    alice.delete()
    with pytest.raises(ingest.SampleRefused) as refused:
        ingest.accept_sample(alice.pk, conference_id, sample())
    assert refused.value.code == "forbidden"


def test_samples_are_rate_limited_per_participant(pair, settings):
    settings.QOS_MIN_SAMPLE_INTERVAL = 60
    alice, bob, _ = pair
    ingest.accept_sample(alice.pk, alice.conference_id, sample())
    with pytest.raises(ingest.SampleRefused) as refused:
        ingest.accept_sample(alice.pk, alice.conference_id, sample())
    assert refused.value.code == "rate-limited"
    assert ingest.accept_sample(bob.pk, bob.conference_id, sample()) == 1


def test_the_client_device_is_kept_per_participant_and_checked(pair):
    from qos.models import QosClient

    alice, _, _ = pair
    client = {"device": "Mac", "os": "macOS 14.1", "version": "Chrome 131.0", "network_type": "Wifi"}
    ingest.accept_sample(alice.pk, alice.conference_id, sample(client=client))
    ingest.accept_sample(alice.pk, alice.conference_id, sample(client={**client, "network_type": "Cellular"}))
    stored = QosClient.objects.get(participant_id=alice.pk)
    assert (stored.device, stored.os, stored.version, stored.network_type) == ("Mac", "macOS 14.1", "Chrome 131.0",
                                                                                "Cellular")
    for bad in ({"device": "Toaster"}, {"network_type": "Carrier pigeon"}, {"os": "x" * 65}, {"version": 131},
                {"os": "bad\nline"}, "Mac"):
        with pytest.raises(ingest.SampleRefused):
            ingest.accept_sample(alice.pk, alice.conference_id, sample(client=bad if isinstance(bad, str)
                                                                      else {**client, **bad}))


def test_device_fields_keep_to_zooms_vocabulary():
    from qos.dashboard import device_fields
    from qos.models import QosClient

    mac = QosClient(device="Mac", os="macOS 14.1", version="Chrome 131.0", network_type="Wifi")
    assert device_fields({}, mac, network=True) == {"device": "Mac", "version": "Chrome 131.0", "network_type": "Wifi"}
    assert device_fields({}, mac, network=False) == {"device": "Mac", "version": "Chrome 131.0"}
    linux = QosClient(device="Linux", version="Firefox 133.0", network_type="Unknown")
    assert device_fields({}, linux, network=True) == {"version": "Firefox 133.0"}
    assert device_fields({"user_name": "Phone caller"}, None, network=True) == {"user_name": "Phone caller"}
