"""The pool of Janus servers (`JANUS_SERVERS`) and which one holds each conference's room.

A conference's room lives on exactly one server, recorded in `Conference.janus_server`. It is
placed the first time anything needs the room (a participant joins, recording starts, the
transcriber or a streaming joins, a SIP call is placed): on the healthy server with the fewest
live conferences (ties: the order of JANUS_SERVERS). Every later user of the room asks `place()`
again and gets the same server while that server is healthy.

A server is healthy when its HTTP API answers `info` within JANUS_HEALTH_TIMEOUT; the answer is
remembered for HEALTH_CACHE_SECONDS per process, so a join costs at most one probe per server and
interval. When the holder of a room is not healthy and another server is, `place()` moves the
conference there: a compare-and-set on the database row, so of several processes noticing at once
exactly one moves it and the others read its choice. Everything that held a session on the dead
server already starts over when its WebSocket to that server closes (participants get
`mediaReset` then `republish`; the transcriber, streamings and SIP dial-in rebuild themselves),
and each start-over asks `place()` for the room's server, so the room is rebuilt on the new one.
With one server (or none healthy) a room stays where it is and its users retry until it answers
again, which is the single-server restart recovery.

A room left behind on a server that no longer holds its conference (the server came back, or a
process joined it before noticing a move) is destroyed by `mind.engine.reconcile`, which sends
its members through the same recovery onto the right server.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from mind.engine.db import in_thread
from mind.engine.janus import Janus, JanusError
from mind.engine.janus_ws import JanusConnection, get_connection
from mind.models import Conference

logger = logging.getLogger(__name__)

HEALTH_CACHE_SECONDS = 2.0
HEALTH_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class JanusServer:
    name: str
    ws_url: str  # the Janus API over WebSocket (participant media, transcriber, streamings, SIP)
    url: str  # the Janus API over HTTP (room administration from REST views and tasks)
    admin_url: str  # the Admin API (reconciliation, server-side QoS)

    def http(self, timeout: float | None = None) -> Janus:
        janus = Janus(url=self.url, admin_url=self.admin_url)
        if timeout is not None:
            janus.timeout = timeout
        return janus

    def connection(self) -> JanusConnection:
        """This event loop's WebSocket connection to the server."""
        return get_connection(self.ws_url)


def servers() -> list[JanusServer]:
    return [JanusServer(**entry) for entry in settings.JANUS_SERVERS]


def server_named(name: str) -> JanusServer | None:
    return next((server for server in servers() if server.name == name), None)


_health: dict[str, tuple[float, bool]] = {}  # server name -> (when probed, healthy)
_health_lock = threading.Lock()


def healthy(server: JanusServer) -> bool:
    now = time.monotonic()
    with _health_lock:
        probed = _health.get(server.name)
    if probed is not None and now - probed[0] < HEALTH_CACHE_SECONDS:
        return probed[1]
    try:
        ok = server.http(timeout=HEALTH_TIMEOUT_SECONDS).info().get("janus") == "server_info"
    except JanusError:
        ok = False
    with _health_lock:
        _health[server.name] = (time.monotonic(), ok)
    return ok


def forget_health() -> None:
    """Drops the remembered probes (tests that stop and start servers)."""
    with _health_lock:
        _health.clear()


def loads() -> dict[str, int]:
    """Server name -> how many live conferences it holds."""
    rows = (Conference.objects.filter(ending_at__gt=timezone.now()).exclude(janus_server="")
            .values("janus_server").annotate(n=Count("id")))
    return {row["janus_server"]: row["n"] for row in rows}


def place(conference_id) -> JanusServer:
    """The server holding the conference's room: kept while healthy, else (re)placed on the
    least-loaded healthy server. Raises Conference.DoesNotExist for a deleted conference."""
    for _ in range(3):  # another process may move it between our read and our write
        held = Conference.objects.values_list("janus_server", flat=True).get(pk=conference_id)
        current = server_named(held)
        if current is not None and healthy(current):
            return current
        pool = servers()
        candidates = [server for server in pool if server != current and healthy(server)]
        if not candidates:  # nothing better: stay (or start) where we are and let callers retry
            chosen = current or pool[0]
        else:
            load = loads()
            chosen = min(candidates, key=lambda server: (load.get(server.name, 0), pool.index(server)))
        if chosen.name == held:
            return chosen
        if Conference.objects.filter(pk=conference_id, janus_server=held).update(janus_server=chosen.name):
            if held:
                logger.warning("conference %s: Janus server %r is not answering; its room moves to %r",
                               conference_id, held, chosen.name)
            return chosen
    return server_named(Conference.objects.values_list("janus_server", flat=True).get(pk=conference_id)) or pool[0]


def placed(conference) -> JanusServer | None:
    """The server the conference was last placed on (no probe, no placing); None if never placed."""
    return server_named(conference.janus_server)


def any_healthy() -> JanusServer:
    """A server for work that belongs to no conference (SIP dial-in's handle pool)."""
    pool = servers()
    return next((server for server in pool if healthy(server)), pool[0])


async def connection_for(conference_id) -> JanusConnection:
    """The WebSocket connection to the server that holds (or now gets) the conference's room."""
    return (await in_thread(place, conference_id)).connection()


async def address_of(connection: JanusConnection) -> str:
    """The IPv4 address of the server behind `connection` (where keyframe requests go)."""
    host = urlsplit(connection.url).hostname or "127.0.0.1"
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, family=socket.AF_INET, type=socket.SOCK_DGRAM)
    return str(infos[0][4][0])


async def connection_for_any() -> JanusConnection:
    return (await in_thread(any_healthy)).connection()
