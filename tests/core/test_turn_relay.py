"""coturn, as `bin/dev` runs it (the `turn` process; in the test namespace on 10.99.0.2), relays for
the credentials Django hands out (config.turn: the TURN REST API shared-secret scheme) over UDP, TCP
and TLS, refuses forged and expired ones, and relays only to Janus's address (10.99.0.1 here).

The client is aioice's TURN client (the one aiortc uses), so these are real TURN Allocate,
ChannelBind and relayed data exchanges.
"""

import asyncio
import os
import ssl
import time
from pathlib import Path

import pytest
from aioice import stun
from aioice.turn import TurnClientTcpProtocol, TurnClientUdpProtocol, create_turn_endpoint
from django.conf import settings

from config import turn

pytestmark = pytest.mark.media

TURN_HOST = "10.99.0.2"
JANUS_HOST = "10.99.0.1"  # the only peer the relay may reach (TURN_ALLOWED_PEER_IPS in bin/dev test)
RELAY_HOST = "10.99.0.1"  # coturn's relay-ip in bin/dev test


def tls_context() -> ssl.SSLContext:
    cert = Path(os.environ["VAR_DIR"]) / "turn" / "cert.pem"  # bin/dev's development certificate
    return ssl.create_default_context(cafile=str(cert))


def server(transport: str) -> tuple[str, int]:
    port = settings.TURN_TLS_PORT if transport == "tls" else settings.TURN_PORT
    return TURN_HOST, port


async def allocate(transport: str, username: str, password: str):
    """A TURN allocation over `transport` (udp, tcp, tls): (client protocol, relayed address)."""
    loop = asyncio.get_running_loop()
    address = server(transport)
    if transport == "udp":
        _, client = await loop.create_datagram_endpoint(
            lambda: TurnClientUdpProtocol(address, username=username, password=password, lifetime=60,
                                          channel_refresh_time=500),
            remote_addr=address)
    else:
        _, client = await loop.create_connection(
            lambda: TurnClientTcpProtocol(address, username=username, password=password, lifetime=60,
                                          channel_refresh_time=500),
            host=address[0], port=address[1], ssl=tls_context() if transport == "tls" else None)
    try:
        relayed = await asyncio.wait_for(client.connect(), 15)
    except BaseException:
        client.transport.close()
        raise
    return client, relayed


def credentials(user_id: str = "participant-1", now: float | None = None) -> tuple[str, str]:
    [server_entry] = turn.ice_servers(user_id, now=now)
    return server_entry["username"], server_entry["credential"]


class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(b"echo:" + data, addr)


class Inbox(asyncio.DatagramProtocol):
    def __init__(self):
        self.received: asyncio.Queue = asyncio.Queue()

    def datagram_received(self, data, addr):
        self.received.put_nowait((data, addr))


def test_joiners_get_the_configured_turn_uris_with_an_hmac_of_an_expiring_username():
    [entry] = turn.ice_servers("abc", now=1_000_000)
    assert entry["urls"] == [f"turn:{TURN_HOST}:{settings.TURN_PORT}?transport=udp",
                             f"turn:{TURN_HOST}:{settings.TURN_PORT}?transport=tcp",
                             f"turns:{TURN_HOST}:{settings.TURN_TLS_PORT}?transport=tcp"]
    assert entry["username"] == f"{1_000_000 + settings.TURN_CREDENTIAL_TTL}:abc"
    assert entry["credential"] == turn.credential(entry["username"], settings.TURN_SECRET)
    assert entry["credential"] != turn.credential(entry["username"], settings.TURN_SECRET + "x")


@pytest.mark.asyncio
@pytest.mark.parametrize("transport", ["udp", "tcp", "tls"])
async def test_handed_out_credentials_allocate_a_relay_that_reaches_janus(transport):
    loop = asyncio.get_running_loop()
    echo_transport, _ = await loop.create_datagram_endpoint(Echo, local_addr=(JANUS_HOST, 0))
    echo_address = echo_transport.get_extra_info("sockname")
    username, password = credentials()
    relay, inbox = await create_turn_endpoint(
        Inbox, server(transport), username, password, lifetime=60,
        ssl=tls_context() if transport == "tls" else None, transport="udp" if transport == "udp" else "tcp")
    try:
        relayed_host, _ = relay.get_extra_info("sockname")
        assert relayed_host == RELAY_HOST
        relay.sendto(b"hello", echo_address)
        data, sender = await asyncio.wait_for(inbox.received.get(), 10)
        assert data == b"echo:hello" and sender == echo_address
    finally:
        relay.close()
        echo_transport.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("transport", ["udp", "tls"])
async def test_forged_credentials_are_refused(transport):
    username, password = credentials()
    forged = turn.credential(username, "not-the-secret")
    with pytest.raises(stun.TransactionFailed) as refused:
        await allocate(transport, username, forged)
    assert refused.value.response.error_code == 401
    # Someone else's valid username cannot be stretched: a later expiry breaks the HMAC.
    expiry, user = username.split(":", 1)
    with pytest.raises(stun.TransactionFailed) as refused:
        await allocate(transport, f"{int(expiry) + 86400}:{user}", password)
    assert refused.value.response.error_code == 401


@pytest.mark.asyncio
async def test_expired_credentials_are_refused():
    # Issued long enough ago that the expiry in the username has passed; the HMAC itself is genuine.
    username, password = credentials(now=time.time() - settings.TURN_CREDENTIAL_TTL - 60)
    with pytest.raises(stun.TransactionFailed) as refused:
        await allocate("udp", username, password)
    assert refused.value.response.error_code == 401


@pytest.mark.asyncio
@pytest.mark.parametrize("peer", ["127.0.0.1", "10.99.0.2", "192.0.2.10"])
async def test_the_relay_reaches_no_one_but_janus(peer):
    client, _ = await allocate("udp", *credentials())
    try:
        await client.channel_bind(0x4000, (JANUS_HOST, 9))  # allowed
        with pytest.raises(stun.TransactionFailed) as refused:
            await client.channel_bind(0x4001, (peer, 9))
        assert refused.value.response.error_code == 403
    finally:
        await client.delete()
        client.transport.close()
