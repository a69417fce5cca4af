"""The outbound-destination policy (config/outbound.py): internal addresses and our own service
ports are refused unless OUTBOUND_ALLOWED_NETWORKS allows the network; names are resolved."""

import pytest

from config import outbound
from tests.support.outbound import INTERNAL


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_destinations_are_refused(settings, url):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    with pytest.raises(outbound.RefusedDestination):
        outbound.check_url(url)
    with pytest.raises(outbound.RefusedDestination):
        outbound.pinned_url(url)


def test_a_public_address_is_allowed_and_pinned(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    assert outbound.check_url("rtmp://8.8.8.8/live") == ["8.8.8.8"]
    assert outbound.pinned_url("rtmp://8.8.8.8:1936/live/key") == "rtmp://8.8.8.8:1936/live/key"


def test_a_name_is_pinned_to_the_address_that_was_checked(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert outbound.pinned_url("rtmp://localhost:19350/live/key") == "rtmp://127.0.0.1:19350/live/key"
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    with pytest.raises(outbound.RefusedDestination, match="internal address"):
        outbound.pinned_url("rtmp://localhost:19350/live/key")


def test_an_allowed_network_still_refuses_our_own_service_ports(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    redis_port = outbound.urlsplit(settings.REDIS_URL).port
    assert outbound.check_url("rtmp://127.0.0.1:19350/x") == ["127.0.0.1"]
    with pytest.raises(outbound.RefusedDestination, match="own service ports"):
        outbound.check_url(f"rtmp://127.0.0.1:{redis_port}/x")
    with pytest.raises(outbound.RefusedDestination, match="own service ports"):
        outbound.check_sip_uri(f"sip:bob@127.0.0.1:{settings.SIP_PORT}")


def test_sip_uris(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    for uri in ("sip:bob@127.0.0.1", "Bob <sip:bob@169.254.169.254:5080;transport=udp>", "sip:[::1]",
                "sips:alice@10.1.2.3"):
        with pytest.raises(outbound.RefusedDestination):
            outbound.check_sip_uri(uri)
    assert outbound.check_sip_uri("sip:bob@8.8.8.8") == ["8.8.8.8"]
