"""A notification that reaches a participant session after its socket closed (Daphne has not told the
consumer yet) is dropped quietly instead of crashing the consumer ("Attempt to send on a closed
protocol" in the logs before)."""

import asyncio

from autobahn.exception import Disconnected

from mind.realtime.session import ParticipantSession


def test_a_message_for_a_closed_socket_is_dropped():
    session = ParticipantSession()

    async def closed_socket(message):
        raise Disconnected("Attempt to send on a closed protocol")

    session.base_send = closed_socket
    asyncio.run(session._send({"type": "updated", "location": "/participants/x"}))
