"""SIP dial-in: phones call `sip:<meeting>@SIP_DOMAIN:SIP_PORT;pwd=…;pic=…` and land in a conference.

Why a front end of our own: the Janus SIP plugin (1.1) gives every handle its own SIP stack on a
random UDP port, so it cannot listen on a configured port, and it only reports the To URI of an
incoming call, not the Request-URI. So the engine listens itself, on `SIP_BIND:SIP_PORT` (UDP),
as a small proxy and registrar in front of one Janus SIP "master" handle:

    phone ──INVITE──▶ front end (this module) ──INVITE──▶ Janus SIP master handle (random port)
                       │ decides (SIP_DIAL_IN_HANDLER)      │ `incomingcall` on a free handle
                       │ or answers 403/404/480/503 itself   ▼
                       └───────────── responses ◀──── SipCall.answer(): accept, bridge to the room

- **Registrar**: at start the master handle REGISTERs with `proxy` = the front end and a random
  user name only this process knows; its Contact tells us where the plugin listens. Refreshes
  update it. Other REGISTERs are refused (403).
- **Proxy**: an initial INVITE is answered `100 Trying`, then given to the handler in a worker
  thread (`sip_dial_in`). Refused: the front end answers with the handler's status (and
  retransmits it until the ACK). Admitted: the INVITE is retargeted to the master's Contact with
  our Via and a Record-Route on top; responses come back through us (Via) and go on to the
  phone. The whole dialog then passes through us: the phone's in-dialog requests (ACK, BYE…) go
  to Janus by Call-ID, and Janus's (BYE when the meeting ends) go to the address the phone's
  INVITE came from, which also works for phones behind NAT.
- **Pool**: the master plus `SIP_DIAL_IN_CALLS - 1` "helper" handles (the plugin passes an INVITE
  to a free helper when the master is busy; all busy → the plugin answers 486). Each call borrows
  its handle (`SipCall(incoming=True)`) and gives it back when it ends. An INVITE that reaches
  Janus without coming through the front end (a Call-ID we did not admit) is declined with 403.

If the Janus connection is lost, the pool is rebuilt (and re-registers) with a back-off. UDP only
(no TCP/TLS); one process may bind the port, so one web process serves dial-in.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from django.conf import settings
from django.utils.module_loading import import_string

from mind.engine import janus_pool, sip_message
from mind.engine.db import in_thread
from mind.engine.janus_ws import JanusError, JanusHandle, JanusSession
from mind.engine.sip_call import SipCall
from mind.engine.sip_dial_in import Admission, CallRejected, IncomingCall
from mind.engine.sip_message import SipMessage, SipParseError

logger = logging.getLogger(__name__)

SIP_PLUGIN = "janus.plugin.sip"
OPAQUE_ID = "sip-ingress"  # not "mind:…": reconciliation leaves the pool alone
BRANCH_MAGIC = "z9hG4bK"
T1, T2 = 0.5, 4.0  # RFC 3261 timers (s)
TRANSACTION_SECONDS = 64 * T1  # how long a transaction (or a dialog after its end) is remembered
JANUS_ANSWER_SECONDS = 32  # an admitted INVITE that Janus never reports is given up after this
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS"
RETRY_SECONDS = (1, 2, 5, 10, 30)


@dataclass
class _ServerTransaction:
    """An initial INVITE from a phone, while the front end (not Janus) is the one answering."""

    request: SipMessage
    tag: str  # our To tag for the responses we make
    incoming: IncomingCall
    final: bytes | None = None  # our final response, resent on retransmissions
    acked: asyncio.Event = field(default_factory=asyncio.Event)
    forwarded: bool = False  # handed to Janus: it answers from now on
    created: float = field(default_factory=time.monotonic)


@dataclass
class _Admitted:
    admission: Admission
    transaction: _ServerTransaction
    at: float = field(default_factory=time.monotonic)


class SipIngress:
    """Runs on the SIP gateway's event loop; `gateway` bridges the answered calls."""

    def __init__(self, gateway, *, bind: str, port: int, calls: int, handler: str, public_host: str = ""):
        self.gateway = gateway
        self.bind = bind
        self.port = port
        self.public_host = public_host  # the host phones dial (SIP_DOMAIN)
        self.pool_size = max(1, calls)
        self.handler_path = handler
        self.user = "confer-" + secrets.token_hex(12)  # the master's registration name: the key to it
        self.transport: asyncio.DatagramTransport | None = None
        self.janus_contact: tuple[str, int] | None = None  # where the master handle listens
        self.registered = asyncio.Event()
        self.session: JanusSession | None = None
        self.slots: dict[int, SipCall | list[dict] | None] = {}  # handle id -> its SipCall, its early events (a list) while set up, or None
        self.handles: dict[int, JanusHandle] = {}
        self._transactions: dict[tuple[str, str], _ServerTransaction] = {}
        self._admitted: dict[str, _Admitted] = {}  # Call-ID -> admitted, not yet reported by Janus
        self._dialogs: dict[str, float] = {}  # Call-ID -> until when in-dialog requests are forwarded
        self._callers: dict[str, tuple] = {}  # Call-ID -> the phone's address (where its INVITE came from)
        self._tasks: set[asyncio.Task] = set()
        self._master_id: asyncio.Future | None = None
        self._stopping = False
        # The handler may block for minutes (a waiting room): it gets threads of its own, so that
        # waiting callers never hold up the database work of calls in progress (default executor).
        self._max_deciding = self.pool_size * 2
        self._decisions = ThreadPoolExecutor(max_workers=self._max_deciding, thread_name_prefix="sip-dial-in")
        self._deciding = 0

    # --- life cycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.transport, _ = await loop.create_datagram_endpoint(lambda: _Protocol(self), local_addr=(self.bind, self.port))
        self.port = self.transport.get_extra_info("sockname")[1]
        logger.info("SIP dial-in listening on udp %s:%s", self.bind, self.port)
        self._spawn(self._keep_pool())
        self._spawn(self._sweep())

    async def stop(self) -> None:
        self._stopping = True
        for task in list(self._tasks):
            task.cancel()
        if self.session is not None:
            await self.session.destroy()
        if self.transport is not None:
            self.transport.close()
        self._decisions.shutdown(wait=False)

    def _spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    @property
    def local_host(self) -> str:
        """Our address as Janus and Via headers see it."""
        if self.bind not in ("", "0.0.0.0", "::"):
            return self.bind
        return getattr(settings, "JANUS_SIP_LOCAL_IP", "") or "127.0.0.1"

    async def _keep_pool(self) -> None:
        """Builds the Janus pool, and rebuilds it whenever the session is lost."""
        attempt = 0
        while not self._stopping:
            lost = asyncio.Event()
            try:
                await self._build_pool(lost)
                attempt = 0
                await lost.wait()
                logger.warning("SIP dial-in: Janus session lost; rebuilding the pool")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Janus down or refusing: try again later, never give up
                logger.warning("SIP dial-in: could not set up the Janus pool: %s", exc)
                if self.session is not None:
                    await self.session.destroy()
            self.janus_contact, self.session = None, None
            self.registered.clear()
            self.slots, self.handles = {}, {}
            await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
            attempt += 1

    async def _build_pool(self, lost: asyncio.Event) -> None:
        self.session = await (await janus_pool.connection_for_any()).create_session(on_lost=lost.set)
        self._master_id = asyncio.get_running_loop().create_future()
        master = await self._attach()
        # A real REGISTER (to us): its Contact is where the plugin listens; then `registered`.
        await master.message({
            "request": "register", "username": f"sip:{self.user}@{self.local_host}",
            "secret": secrets.token_urlsafe(16), "proxy": f"sip:{self.local_host}:{self.port}",
        })
        master_id = await asyncio.wait_for(asyncio.shield(self._master_id), 10)
        await asyncio.wait_for(self.registered.wait(), 10)
        for _ in range(self.pool_size - 1):
            helper = await self._attach()
            await helper.message({"request": "register", "type": "helper", "username": f"sip:{self.user}@{self.local_host}",
                                  "master_id": master_id})
        logger.info("SIP dial-in: %d Janus handles ready behind %s:%s", self.pool_size, *(self.janus_contact or ("?", "?")))

    async def _attach(self):
        slot_id: dict[str, int] = {}

        def on_event(message):
            self._on_janus_event(slot_id["id"], message)

        if self.session is None:  # lost while starting
            raise JanusError("the Janus session of SIP dial-in is gone")
        handle = await self.session.attach(on_event, opaque_id=OPAQUE_ID, plugin=SIP_PLUGIN)
        slot_id["id"] = handle.id
        self.slots[handle.id] = None
        self.handles[handle.id] = handle
        return handle

    # --- Janus events ----------------------------------------------------------------------------

    def _on_janus_event(self, handle_id: int, message: dict) -> None:
        data = message.get("plugindata", {}).get("data", {})
        result = data.get("result") or {}
        event = result.get("event")
        if event == "registered" and not result.get("helper"):
            if self._master_id is not None and not self._master_id.done():
                self._master_id.set_result(result.get("master_id"))
            return
        call = self.slots.get(handle_id)
        if isinstance(call, list):  # the call is being set up: its events wait for it
            call.append(message)
        elif event == "incomingcall" and call is None:
            self.slots[handle_id] = []
            self._spawn(self._incoming_safely(handle_id, data, message.get("jsep")))
        elif call is not None:
            call.deliver(message)
        elif event == "registration_failed":
            logger.warning("SIP dial-in: %s", result)
            if self._master_id is not None and not self._master_id.done():
                self._master_id.set_exception(JanusError(f"registration failed: {result.get('reason')}"))

    async def _incoming_safely(self, handle_id: int, data: dict, jsep: dict | None) -> None:
        try:
            await self._incoming(handle_id, data, jsep)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("SIP dial-in: taking a call failed")
            call = self.slots.get(handle_id)
            if isinstance(call, list) or call is None:
                self._free(handle_id)
            else:
                await call.end("error")  # declines or hangs up, frees the handle, runs ended()

    async def _incoming(self, handle_id: int, data: dict, jsep: dict | None) -> None:
        handle = self.handles.get(handle_id)
        call_id = data.get("call_id") or (data.get("result") or {}).get("call_id") or ""
        admitted = self._admitted.pop(call_id, None)
        if handle is None:
            return
        if admitted is None:  # not through the front end: nobody checked this caller
            logger.warning("SIP dial-in: declining a call that did not come through the front end (%s)", call_id)
            try:
                await handle.message({"request": "decline", "code": 403})
            except JanusError as exc:
                logger.info("SIP dial-in: decline failed: %s", exc)
            self._free(handle_id)
            return
        self._dialogs[call_id] = float("inf")
        admission = admitted.admission

        async def over(call, status):
            await self._call_over(handle_id, call_id, call, admission)

        call = await self.gateway.incoming_call(admission, on_end=over)
        if call is None:  # the participant is gone, or already in a call
            self._dialogs[call_id] = time.monotonic() + TRANSACTION_SECONDS
            try:
                await handle.message({"request": "decline", "code": 480})
            except JanusError as exc:
                logger.info("SIP dial-in: decline failed: %s", exc)
            self._free(handle_id)
            await in_thread(admission.ended)
            return
        early = self.slots.get(handle_id)
        self.slots[handle_id] = call  # before answering: the handle's events are the call's now
        for message in early if isinstance(early, list) else ():
            call.deliver(message)
        status = await call.answer(handle, jsep)
        logger.info("SIP dial-in: call %s of participant %s: %s", call_id, admission.participant_id, status)

    def _free(self, handle_id: int) -> None:
        if handle_id in self.slots:
            self.slots[handle_id] = None

    async def _call_over(self, handle_id: int, call_id: str, call, admission: Admission) -> None:
        if self.slots.get(handle_id) is call:
            self._free(handle_id)
        self._dialogs[call_id] = time.monotonic() + TRANSACTION_SECONDS  # the last BYE/200 may still pass
        await in_thread(admission.ended)

    # --- the front end: datagrams ----------------------------------------------------------------

    def datagram(self, data: bytes, addr: tuple) -> None:
        if not data.strip():
            return  # keep-alive CRLF
        try:
            message = sip_message.parse(data)
            if message.is_request:
                self._request(message, addr)
            else:
                self._response(message)
        except SipParseError as exc:
            logger.debug("SIP dial-in: dropped a datagram from %s: %s", addr, exc)

    def _send(self, message: SipMessage | bytes | None, addr: tuple) -> None:
        if self.transport is not None and message is not None:
            self.transport.sendto(message if isinstance(message, bytes) else message.encode(), addr)

    def _request(self, request: SipMessage, addr: tuple) -> None:
        vias = request.vias()
        top = sip_message.parse_via(vias[0])
        if addr[0] != top.host:
            top.params["received"] = addr[0]
        if "rport" in top.params:
            top.params["rport"] = str(addr[1])
        vias[0] = _format_via(top)
        request.set_vias(vias)
        to_tag = sip_message.parse_address(request.get("To")).params.get("tag")
        method = request.method
        if addr == self.janus_contact and method not in ("REGISTER", "OPTIONS"):
            self._from_janus(request)
        elif method == "REGISTER":
            self._register(request, addr)
        elif method == "INVITE" and not to_tag:
            self._invite(request, top)
        elif method == "CANCEL":
            self._cancel(request, top)
        elif method == "ACK":
            transaction = self._transactions.get((request.call_id, top.branch))
            if transaction is not None and transaction.final is not None:
                transaction.acked.set()  # the ACK of our own final response: it ends here
            elif self._in_dialog(request.call_id):
                self._forward(request, top)
        elif to_tag:
            if self._in_dialog(request.call_id):
                self._forward(request, top)
            else:
                self._reply(request, 481, "Call/Transaction Does Not Exist")
        elif method == "OPTIONS":
            self._reply(request, 200, "OK", extra=[["Allow", ALLOW]])
        else:
            self._reply(request, 405, "Method Not Allowed", extra=[["Allow", ALLOW]])

    def _from_janus(self, request: SipMessage) -> None:
        """Janus's requests in a dial-in dialog (BYE, re-INVITE…) go to the phone's address."""
        phone = self._callers.get(request.call_id)
        if phone is None or not self._in_dialog(request.call_id):
            self._reply(request, 481, "Call/Transaction Does Not Exist")
            return
        self._send(self._stamped(request, request.vias()[0]), phone)

    def _in_dialog(self, call_id: str) -> bool:
        return call_id in self._admitted or self._dialogs.get(call_id, 0) > time.monotonic()

    def _response(self, response: SipMessage) -> None:
        vias = response.vias()
        top = sip_message.parse_via(vias[0])
        if (top.host, top.port) != (self.local_host, self.port) or not top.branch.startswith(self._branch_prefix):
            return  # not one we forwarded
        if len(vias) < 2 or response.status == 100:  # 100 Trying is hop-by-hop: we sent our own
            return
        _, method = response.cseq
        if method == "INVITE" and response.status >= 300:
            self._dialog_failed(response.call_id)
        response.set_vias(vias[1:])
        self._send(response, sip_message.parse_via(vias[1]).reply_address())

    def _dialog_failed(self, call_id: str) -> None:
        admitted = self._admitted.pop(call_id, None)
        if admitted is not None:  # Janus refused it before any handle took it (all busy: 486)
            self._dialogs[call_id] = time.monotonic() + TRANSACTION_SECONDS  # let the ACK through
            self._spawn(in_thread(admitted.admission.ended))

    # --- registrar (only our master handle) --------------------------------------------------------

    def _register(self, request: SipMessage, addr: tuple) -> None:
        try:
            user = sip_message.parse_uri(sip_message.parse_address(request.get("To")).uri).user
            contact = sip_message.parse_address(request.get("Contact"))
            contact_uri = sip_message.parse_uri(contact.uri)
        except SipParseError:
            self._reply(request, 400, "Bad Request")
            return
        if user != self.user or contact_uri.host != addr[0]:
            self._reply(request, 403, "Forbidden")
            return
        expires_text = contact.params.get("expires") or request.get("Expires") or "3600"
        expires = int(expires_text) if expires_text.isdigit() else 3600
        self.janus_contact = (contact_uri.host, contact_uri.port or 5060) if expires else None
        self._reply(request, 200, "OK", extra=[["Contact", f"<{contact.uri}>;expires={expires}"], ["Expires", str(expires)]])
        if expires:
            self.registered.set()

    # --- INVITE: decide, then refuse or hand to Janus --------------------------------------------

    def _invite(self, request: SipMessage, top: sip_message.Via) -> None:
        key = (request.call_id, top.branch)
        transaction = self._transactions.get(key)
        if transaction is not None:  # a retransmission
            if transaction.forwarded and self.janus_contact is None:  # Janus went away since
                self._reply(request, 503, "Service Unavailable")
            elif transaction.forwarded:
                self._forward(self._retargeted(transaction.request), top)
            elif transaction.final is not None:
                self._send(transaction.final, top.reply_address())
            else:
                self._reply(request, 100, "Trying", tag=None)
            return
        try:
            sender = sip_message.parse_address(request.get("From"))
            to = sip_message.parse_address(request.get("To"))
        except SipParseError:
            self._reply(request, 400, "Bad Request")
            return
        incoming = IncomingCall(request_uri=request.uri, to_uri=to.uri, caller_uri=sender.uri,
                                caller_name=sender.display_name, call_id=request.call_id,
                                source=top.params.get("received") or top.host)
        transaction = _ServerTransaction(request=request, tag=secrets.token_hex(6), incoming=incoming)
        self._transactions[key] = transaction
        self._reply(request, 100, "Trying", tag=None)
        self._spawn(self._decide(transaction, top))

    async def _decide(self, transaction: _ServerTransaction, top: sip_message.Via) -> None:
        incoming = transaction.incoming
        try:
            if self.janus_contact is None:
                raise CallRejected(503, "Service Unavailable")
            if self._deciding >= self._max_deciding:  # that many callers are being decided on (waiting) already
                raise CallRejected(486, "Busy Here")
            handler: Callable[[IncomingCall], Admission] = import_string(self.handler_path)
            self._deciding += 1
            try:
                admission = await in_thread(handler, incoming, executor=self._decisions)
            finally:
                self._deciding -= 1
        except CallRejected as exc:
            self._final(transaction, exc.status, exc.reason)
            return
        except Exception:
            logger.exception("SIP dial-in: the handler failed for %s", incoming.request_uri)
            self._final(transaction, 500, "Server Internal Error")
            return
        if transaction.final is not None or self.janus_contact is None:  # cancelled meanwhile, or Janus gone
            self._final(transaction, 503, "Service Unavailable")
            await in_thread(admission.ended)
            return
        logger.info("SIP dial-in: %s admitted as participant %s", incoming.caller_uri, admission.participant_id)
        self._admitted[incoming.call_id] = _Admitted(admission, transaction)
        self._callers[incoming.call_id] = top.reply_address()
        transaction.forwarded = True
        self._forward(self._retargeted(transaction.request), top)

    def _retargeted(self, request: SipMessage) -> SipMessage:
        """The INVITE as it goes to Janus: Request-URI = the master's Contact (we are its registrar)."""
        assert self.janus_contact is not None  # both callers check it first, with no await since
        forwarded = SipMessage(method=request.method, uri=f"sip:{self.user}@{self.janus_contact[0]}:{self.janus_contact[1]}",
                               headers=[list(h) for h in request.headers], body=request.body)
        # Two Record-Routes (RFC 5658): the phone routes its requests by the first (the name it
        # dialled), Janus by the last (our local address): both lead here.
        forwarded.headers[0:0] = [["Record-Route", f"<sip:{self.public_host or self.local_host}:{self.port};lr>"],
                                  ["Record-Route", f"<sip:{self.local_host}:{self.port};lr>"]]
        return forwarded

    def _cancel(self, request: SipMessage, top: sip_message.Via) -> None:
        transaction = self._transactions.get((request.call_id, top.branch))
        if transaction is None:
            self._reply(request, 481, "Call/Transaction Does Not Exist")
        elif transaction.forwarded:
            self._forward(request, top)  # Janus answers the CANCEL and ends its INVITE with 487
        else:
            self._reply(request, 200, "OK")
            transaction.incoming.cancelled.set()
            self._final(transaction, 487, "Request Terminated")

    def _final(self, transaction: _ServerTransaction, status: int, reason: str) -> None:
        """Our final answer to the phone's INVITE, retransmitted until its ACK (RFC 3261 17.2.1)."""
        if transaction.final is not None:
            return
        response = _response_to(transaction.request, status, reason, tag=transaction.tag)
        transaction.final = response.encode()
        address = sip_message.parse_via(transaction.request.vias()[0]).reply_address()
        logger.info("SIP dial-in: %s -> %s %s", transaction.incoming.request_uri[:80], status, reason)
        self._spawn(self._retransmit(transaction, address))

    async def _retransmit(self, transaction: _ServerTransaction, address: tuple) -> None:
        interval, deadline = T1, time.monotonic() + TRANSACTION_SECONDS
        while not transaction.acked.is_set() and time.monotonic() < deadline:
            self._send(transaction.final, address)
            try:
                await asyncio.wait_for(transaction.acked.wait(), interval)
            except asyncio.TimeoutError:
                interval = min(interval * 2, T2)

    # --- stateless forwarding to Janus -----------------------------------------------------------

    @property
    def _branch_prefix(self) -> str:
        return f"{BRANCH_MAGIC}cf{self.user[-6:]}"

    def _forward(self, request: SipMessage, top: sip_message.Via) -> None:
        """To Janus: the phone's admitted INVITE, its CANCEL, and its in-dialog requests."""
        if self.janus_contact is None:
            if request.method != "ACK":
                self._reply(request, 503, "Service Unavailable")
            return
        self._send(self._stamped(request, top), self.janus_contact)

    def _stamped(self, request: SipMessage, top) -> SipMessage | None:
        """The request with one hop less, without Route entries to us, and our Via on top."""
        forwards = request.get("Max-Forwards", "70")
        hops = int(forwards) if forwards.isdigit() else 70
        if hops <= 0:
            if request.method != "ACK":
                self._reply(request, 483, "Too Many Hops")
            return None
        request.set("Max-Forwards", str(hops - 1))
        routes = [r for value in request.all("Route") for r in sip_message.split_commas(value) if not self._is_us(r)]
        request.remove("Route")
        for index, route in enumerate(routes):
            request.headers.insert(index, ["Route", route])
        # One branch per incoming branch, whatever the method: a CANCEL (or the ACK of a failure)
        # then matches the INVITE we forwarded, as RFC 3261 16.11 asks of a stateless proxy.
        branch = top.branch if isinstance(top, sip_message.Via) else sip_message.parse_via(top).branch
        digest = hashlib.sha256(f"{self.user}|{request.call_id}|{branch}".encode()).hexdigest()[:20]
        request.set_vias([f"SIP/2.0/UDP {self.local_host}:{self.port};branch={self._branch_prefix}{digest};rport"]
                         + request.vias())
        return request

    def _is_us(self, route: str) -> bool:
        try:
            uri = sip_message.parse_uri(sip_message.parse_address(route).uri)
        except SipParseError:
            return False
        return uri.host in (self.local_host, self.public_host.lower()) and (uri.port or 5060) == self.port

    # --- our own responses -----------------------------------------------------------------------

    def _reply(self, request: SipMessage, status: int, reason: str, *, tag: str | None = "", extra=()) -> None:
        response = _response_to(request, status, reason, tag=secrets.token_hex(6) if tag == "" else tag, extra=extra)
        self._send(response, sip_message.parse_via(request.vias()[0]).reply_address())

    async def _sweep(self) -> None:
        """Forgets finished transactions and dialogs; gives up INVITEs Janus never reported."""
        while True:
            await asyncio.sleep(5)
            now = time.monotonic()
            self._transactions = {k: t for k, t in self._transactions.items() if now - t.created < TRANSACTION_SECONDS * 2}
            self._dialogs = {k: until for k, until in self._dialogs.items() if until > now}
            self._callers = {k: a for k, a in self._callers.items() if k in self._dialogs or k in self._admitted}
            for call_id, admitted in list(self._admitted.items()):
                if now - admitted.at > JANUS_ANSWER_SECONDS:
                    self._dialog_failed(call_id)


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, ingress: SipIngress):
        self.ingress = ingress

    def datagram_received(self, data: bytes, addr) -> None:
        try:
            self.ingress.datagram(data, addr)
        except Exception:  # one bad datagram must not stop the listener
            logger.exception("SIP dial-in: handling a datagram from %s failed", addr)

    def error_received(self, exc) -> None:
        logger.debug("SIP dial-in: %s", exc)


def _format_via(via: sip_message.Via) -> str:
    host = f"[{via.host}]" if ":" in via.host else via.host
    parameters = "".join(f";{k}={v}" if v else f";{k}" for k, v in via.params.items())
    return f"SIP/2.0/{via.transport} {host}:{via.port}{parameters}"


def _response_to(request: SipMessage, status: int, reason: str, *, tag: str | None, extra=()) -> SipMessage:
    headers = [["Via", via] for via in request.vias()]
    to = request.get("To")
    if tag and status > 100 and "tag=" not in to.lower():
        to += f";tag={tag}"
    headers += [["From", request.get("From")], ["To", to], ["Call-ID", request.call_id], ["CSeq", request.get("CSeq")]]
    headers += [list(h) for h in extra]
    headers.append(["Server", "Confer"])
    return SipMessage(status=status, reason=reason, headers=headers)


