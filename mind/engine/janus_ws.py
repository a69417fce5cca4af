"""One asyncio WebSocket connection to Janus per web process.

Janus answers every request with the request's `transaction`; an asynchronous plugin request
first gets an `ack`, later an `event` carrying the same transaction. Messages with no pending
transaction (new publishers, hangups, postponed renegotiation offers, session timeouts) are routed
by handle id (`sender`) to the callback given when the handle was attached.

Janus sessions die after `session_timeout` (60 s) without traffic, so one task sends a `keepalive`
for every live session every KEEPALIVE_SECONDS. When the socket closes (Janus stopped, crashed or
restarted) every pending request fails with JanusGone and every session's owner is told through
its `on_lost` callback: the sessions are gone with the process that held them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Any, Callable

import websockets
from django.conf import settings
from websockets.asyncio.client import ClientConnection
from websockets.typing import Subprotocol

from mind.engine.janus import VIDEOROOM, JanusError

logger = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 20
NO_SUCH_SESSION = 458  # JANUS_ERROR_SESSION_NOT_FOUND
NO_SUCH_HANDLE = 459  # JANUS_ERROR_HANDLE_NOT_FOUND

EventCallback = Callable[[dict], None]


class JanusGone(JanusError):
    """The connection to Janus was lost; the sessions created on it no longer exist."""


class JanusConnection:
    def __init__(self, url: str | None = None, api_secret: str | None = None, timeout: float | None = None):
        self.url = url or settings.JANUS_WS_URL
        self.api_secret = api_secret if api_secret is not None else settings.JANUS_API_SECRET
        self.timeout = timeout or max(settings.JANUS_TIMEOUT, 10)
        self._ws: ClientConnection | None = None
        self._pending: dict[str, tuple[asyncio.Future, bool]] = {}
        self._handles: dict[int, EventCallback] = {}
        self._sessions: dict[int, JanusSession] = {}
        self._lock = asyncio.Lock()
        self._tasks: list[asyncio.Task] = []
        self.loop: asyncio.AbstractEventLoop | None = None  # the event loop this connection belongs to

    @property
    def connected(self) -> bool:
        return self._ws is not None

    async def _ensure_open(self):
        async with self._lock:
            if self._ws is not None:
                return self._ws
            try:
                ws = await websockets.connect(
                    self.url, subprotocols=[Subprotocol("janus-protocol")], max_size=None, open_timeout=self.timeout,
                )
            except (OSError, websockets.WebSocketException, asyncio.TimeoutError) as exc:
                raise JanusGone(f"cannot reach Janus at {self.url}: {exc}") from exc
            self._ws = ws
            self._tasks = [asyncio.create_task(self._read(ws)), asyncio.create_task(self._keepalive(ws))]
            return ws

    async def request(self, body: dict, *, ack_is_final: bool = False, timeout: float | None = None) -> dict:
        """Sends one Janus API request and returns its final answer (raises JanusError on `error`)."""
        ws = await self._ensure_open()
        transaction = secrets.token_hex(8)
        message = {**body, "transaction": transaction}
        if self.api_secret:
            message["apisecret"] = self.api_secret
        future = asyncio.get_running_loop().create_future()
        self._pending[transaction] = (future, ack_is_final)
        try:
            await ws.send(json.dumps(message))
            reply = await asyncio.wait_for(future, timeout or self.timeout)
        except websockets.WebSocketException as exc:
            raise JanusGone(f"Janus connection lost: {exc}") from exc
        except asyncio.TimeoutError as exc:
            raise JanusError(f"Janus did not answer {body.get('janus')} in time") from exc
        finally:
            self._pending.pop(transaction, None)
        if reply.get("janus") == "error":
            error = reply.get("error", {})
            raise JanusError(error.get("reason", "Janus error"), error.get("code"))
        return reply

    async def create_session(self, on_lost: Callable[[], None]) -> JanusSession:
        reply = await self.request({"janus": "create"})
        session = JanusSession(self, reply["data"]["id"], on_lost)
        self._sessions[session.id] = session
        return session

    def route_events(self, handle_id: int, on_event: EventCallback) -> None:
        """Delivers the events Janus sends for `handle_id` to `on_event`."""
        self._handles[handle_id] = on_event

    def forget_handle(self, handle_id: int) -> None:
        self._handles.pop(handle_id, None)

    def forget_session(self, session_id: int) -> None:
        self._sessions.pop(session_id, None)

    # --- incoming messages -------------------------------------------------------------------

    async def _read(self, ws):
        try:
            async for raw in ws:
                try:
                    self._dispatch(json.loads(raw))
                except Exception:  # one bad message must not stop the reader
                    logger.exception("could not dispatch a Janus message")
        except websockets.WebSocketException:
            pass
        finally:
            self._lost(ws)

    def _dispatch(self, message: dict) -> None:
        pending = self._pending.get(message.get("transaction", ""))
        if pending is not None and not pending[0].done():
            future, ack_is_final = pending
            if message.get("janus") == "ack" and not ack_is_final:
                return
            future.set_result(message)
            return
        # Later events may reuse a request's transaction (the SIP plugin's call progress does),
        # even before the requester has resumed: they go to the handle like any other event.
        kind = message.get("janus")
        if kind == "timeout":
            self._session_lost(message.get("session_id"))
            return
        callback = self._handles.get(message["sender"]) if isinstance(message.get("sender"), int) else None
        if callback is not None:
            callback(message)
        elif kind not in ("ack", "success"):
            logger.debug("Janus message for no known handle: %s", kind)

    def _session_lost(self, session_id) -> None:
        session = self._sessions.pop(session_id, None)
        if session is not None:
            session.mark_lost()

    def _lost(self, ws) -> None:
        if self._ws is not ws:
            return
        self._ws = None
        for task in self._tasks:
            if task is not asyncio.current_task():
                task.cancel()
        for future, _ in list(self._pending.values()):
            if not future.done():
                future.set_exception(JanusGone("Janus connection closed"))
        self._pending.clear()
        sessions, self._sessions = list(self._sessions.values()), {}
        self._handles.clear()
        if sessions:
            logger.warning("Janus connection closed; %d sessions lost", len(sessions))
        for session in sessions:
            session.mark_lost()

    async def _keepalive(self, ws):
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            for session in list(self._sessions.values()):
                try:
                    await self.request({"janus": "keepalive", "session_id": session.id}, ack_is_final=True)
                except JanusGone:
                    return
                except JanusError as exc:
                    if exc.code == NO_SUCH_SESSION:
                        self._session_lost(session.id)
                    else:
                        logger.warning("keepalive of Janus session %s failed: %s", session.id, exc)

    async def close(self) -> None:
        ws = self._ws
        if ws is not None:
            await ws.close()
            self._lost(ws)


class JanusSession:
    def __init__(self, connection: JanusConnection, session_id: int, on_lost: Callable[[], None]):
        self.connection = connection
        self.id = session_id
        self.alive = True
        self._on_lost = on_lost
        self.handles: list[JanusHandle] = []

    def mark_lost(self) -> None:
        if self.alive:
            self.alive = False
            for handle in self.handles:
                self.connection.forget_handle(handle.id)
            self._on_lost()

    async def request(self, body: dict, **kwargs) -> dict:
        return await self.connection.request({**body, "session_id": self.id}, **kwargs)

    async def attach(self, on_event: EventCallback, opaque_id: str = "", plugin: str = VIDEOROOM) -> JanusHandle:
        reply = await self.request({"janus": "attach", "plugin": plugin, "opaque_id": opaque_id})
        handle = JanusHandle(self, reply["data"]["id"])
        self.handles.append(handle)
        self.connection.route_events(handle.id, on_event)
        return handle

    async def destroy(self) -> None:
        """Destroys the session (Janus detaches its handles, which leave their rooms)."""
        if not self.alive:
            return
        self.alive = False
        self.connection.forget_session(self.id)
        for handle in self.handles:
            self.connection.forget_handle(handle.id)
        try:
            await self.request({"janus": "destroy"})
        except JanusError as exc:  # already gone (timeout, restart): nothing left to release
            logger.info("destroying Janus session %s: %s", self.id, exc)


class JanusHandle:
    def __init__(self, session: JanusSession, handle_id: int):
        self.session = session
        self.id = handle_id

    async def message(self, body: dict, jsep: dict | None = None, timeout: float | None = None) -> tuple[dict, dict | None]:
        """Sends a plugin request; returns the plugin's data and the JSEP (offer/answer) if any."""
        request: dict[str, Any] = {"janus": "message", "handle_id": self.id, "body": body}
        if jsep is not None:
            request["jsep"] = jsep
        reply = await self.session.request(request, timeout=timeout)
        data = reply.get("plugindata", {}).get("data", {})
        if "error_code" in data:
            raise JanusError(data.get("error", "plugin error"), data["error_code"])
        return data, reply.get("jsep")

    async def trickle(self, candidate: dict | None) -> None:
        body = {"janus": "trickle", "handle_id": self.id,
                "candidate": candidate if candidate else {"completed": True}}
        await self.session.request(body, ack_is_final=True)  # Janus answers a trickle with an ack only

    async def detach(self) -> None:
        self.session.connection.forget_handle(self.id)
        if self in self.session.handles:
            self.session.handles.remove(self)
        if self.session.alive:
            try:
                await self.session.request({"janus": "detach", "handle_id": self.id})
            except JanusError as exc:
                logger.info("detaching Janus handle %s: %s", self.id, exc)


_connections: dict[tuple[int, str | None], JanusConnection] = {}


def get_connection(url: str | None = None) -> JanusConnection:
    """The process's connection to the Janus at `url` (default JANUS_WS_URL; one per event loop:
    Daphne has one; tests may have several)."""
    loop = asyncio.get_running_loop()
    key = (id(loop), url)
    connection = _connections.get(key)
    if connection is None or connection.loop is not loop:
        connection = JanusConnection(url)
        connection.loop = loop
        _connections[key] = connection
    return connection
