"""One SIP call of a participant: a Janus SIP plugin handle, its WebRTC peer, and the conference leg.

The Janus SIP plugin is a WebRTC<->SIP gateway: it places the INVITE and converts media, but its
WebRTC side needs a peer. Here that peer is an aiortc PeerConnection in this process: what the
phone sends arrives on it and is published into the room (ConferenceLeg); the room's mixed audio
is sent on it to the phone.

    dial()  register as a guest (no REGISTER is sent; the proxy, if any, routes the INVITE),
            `call` with our offer; wait for `accepted` (then join the room, go online) or for a
            failure, or hang up (CANCEL) when `timeout` passes. Returns the Mind status.
    answer()  dial-in (`sip_ingress`): the phone's INVITE reached a handle of the ingress pool;
            take the plugin's offer, join the room, `accept` with our answer. The handle is the
            pool's: the call borrows it and gives it back at the end (no session destroyed).
    forward()  `transfer`: the plugin sends a REFER (blind transfer) to the far end.
    end()   any stage, any cause (our hang-up, the far end's BYE, a failure, the participant or
            conference deleted, Janus lost): hangs up if needed, destroys the Janus session (so
            no SIP handle is left), closes the peers, and takes the participant offline.

Janus events arrive on the connection's reader and are handled in order by one worker task.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from aiortc import RTCPeerConnection, RTCSessionDescription

from mind.engine import janus_pool
from mind.engine.janus_ws import JanusError, JanusHandle, JanusSession
from mind.engine.sip_address import SipAddress
from mind.engine.sip_bridge import ConferenceLeg, opaque_id

logger = logging.getLogger(__name__)

SIP_PLUGIN = "janus.plugin.sip"
HANGUP_WAIT_SECONDS = 5  # how long end() lets the plugin confirm the BYE/CANCEL before detaching


def status_of_sip_code(code: int | None) -> str:
    """The Mind status of a call the far end (or the network) ended before it was answered."""
    if code in (486, 600):
        return "busy"
    if code in (603, 403):
        return "declined"
    if code == 408:
        return "timeout"
    if code == 487:
        return "interrupted"
    if code in (404, 410, 480, 484, 502, 503, 504, 604):
        return "unavailable"
    return "error"


def _transfer_succeeded(result: dict) -> bool:
    content = str(result.get("content") or "")
    return result.get("notify") == "refer" and content.startswith("SIP/2.0 2")


class NotInCall(Exception):
    pass


class SipCall:
    def __init__(self, conference_id, room_id: int, participant_id, *, leg: ConferenceLeg,
                 on_state: Callable[[bool, dict], Awaitable[None]],
                 on_end: Callable[["SipCall", str], Awaitable[None]], incoming: bool = False):
        self.conference_id = str(conference_id)
        self.participant_id = str(participant_id)
        self.leg = leg
        self._on_state = on_state  # (online, media flags) -> database + notifications
        self._state_lock = asyncio.Lock()  # "online" is written before "offline", never after
        self._on_end = on_end  # the gateway forgets the call, records the status
        self.session: JanusSession | None = None
        self.handle: JanusHandle | None = None
        self.pc: RTCPeerConnection | None = None
        self.far_end_audio = None
        self.answered = False
        self.ended = False
        self.incoming = incoming  # dial-in: the phone called us, on a handle we do not own
        self.owns_session = not incoming
        self._accepted = False
        self.outcome: asyncio.Future = asyncio.get_running_loop().create_future()
        self._hung_up = asyncio.Event()
        self._events: asyncio.Queue = asyncio.Queue()
        self._worker = asyncio.create_task(self._work())

    def deliver(self, message: dict) -> None:
        """Hands the call a Janus event of its handle (dial-in: the handle belongs to the ingress)."""
        self._events.put_nowait(message)

    # --- placing the call ------------------------------------------------------------------------

    async def dial(self, caller: SipAddress, callee: SipAddress, proxy: str | None, timeout: int) -> str:
        try:
            # On the room's server: the conference leg joins the room there too.
            connection = await janus_pool.connection_for(self.conference_id)
            self.session = await connection.create_session(on_lost=self._session_lost)
            self.handle = await self.session.attach(
                lambda message: self._events.put_nowait(message),
                opaque_id=opaque_id(self.conference_id, self.participant_id), plugin=SIP_PLUGIN,
            )
            register = {"request": "register", "type": "guest", "username": caller.uri}
            if caller.display_name:
                register["display_name"] = caller.display_name
            if proxy:
                register["proxy"] = proxy
            await self.handle.message(register)
            self.pc = RTCPeerConnection()
            self.pc.addTransceiver(self.leg.mixer, direction="sendrecv")

            @self.pc.on("track")
            def on_track(track):
                if track.kind == "audio":
                    self.far_end_audio = track

            await self.pc.setLocalDescription(await self.pc.createOffer())
            await self.handle.message({"request": "call", "uri": callee.uri},
                                      jsep={"type": "offer", "sdp": self.pc.localDescription.sdp})
        except JanusError as exc:
            logger.warning("participant %s: could not place the SIP call: %s", self.participant_id, exc)
            await self.end("error")
            return self.outcome.result()
        try:
            return await asyncio.wait_for(asyncio.shield(self.outcome), timeout)
        except asyncio.TimeoutError:
            await self.end("timeout")
            return self.outcome.result()

    # --- taking a call (dial-in) ----------------------------------------------------------------

    async def answer(self, handle: JanusHandle, offer: dict) -> str:
        """Answers the phone's call on `handle` (the plugin's `incomingcall` brought `offer`)."""
        self.handle, self.session = handle, handle.session
        try:
            if not offer or offer.get("type") != "offer":
                raise JanusError("the call came without an SDP offer")
            self.pc = RTCPeerConnection()

            @self.pc.on("track")
            def on_track(track):
                if track.kind == "audio":
                    self.far_end_audio = track

            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer["sdp"], type="offer"))
            self.pc.addTrack(self.leg.mixer)  # takes the offer's audio transceiver: send the room's mix
            for transceiver in self.pc.getTransceivers():
                if transceiver.kind == "video":
                    transceiver.direction = "inactive"  # audio-only bridge
            flags = await self.leg.start(self.far_end_audio)  # in the room before the phone hears "200 OK"
            if self.ended:
                return self.outcome.result()
            await self.pc.setLocalDescription(await self.pc.createAnswer())
            await self.handle.message({"request": "accept"}, jsep={"type": "answer", "sdp": self.pc.localDescription.sdp})
            self._accepted = True  # from now on the phone is in the call: ending it takes a BYE
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # Janus, SDP, or the conference deleted meanwhile: the phone gets 480
            logger.warning("participant %s: could not answer the SIP call: %r", self.participant_id, exc)
            await self.end("error")
            return self.outcome.result()
        if self.ended:  # the caller hung up meanwhile
            return self.outcome.result()
        async with self._state_lock:
            if self.ended:  # the call ended while we were answering: it never goes online
                return self.outcome.result()
            self.answered = True
            await self._on_state(True, flags)
        if not self.outcome.done():
            self.outcome.set_result("answered")
        return "answered"

    # --- during the call -------------------------------------------------------------------------

    async def forward(self, destination: SipAddress) -> None:
        if not self.answered or self.ended or self.handle is None:
            raise NotInCall
        await self.handle.message({"request": "transfer", "uri": destination.uri})

    async def _work(self) -> None:
        while not self.ended:
            message = await self._events.get()
            try:
                await self._handle(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("participant %s: handling a SIP event failed", self.participant_id)
                await self.end("error")

    async def _handle(self, message: dict) -> None:
        if message.get("janus") == "hangup":  # the WebRTC leg to Janus is gone
            # Before the answer, the plugin's own `hangup` event (with the SIP code) follows and
            # tells why; if it never comes, the dial timeout ends the call.
            if self.answered:
                await self.end("interrupted")
            return
        data = message.get("plugindata", {}).get("data", {})
        event = (data.get("result") or {}).get("event")
        if event == "accepted" and not self.incoming and not self.ended:
            jsep = message.get("jsep")
            if not jsep or jsep.get("type") != "answer":
                await self.end("error")
                return
            assert self.pc is not None  # dial() made it before it placed the call
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=jsep["sdp"], type="answer"))
            await self._join_conference()
        elif event == "hangup":
            self._hung_up.set()
            result = data["result"]
            logger.info("participant %s: SIP call ended: %s %s", self.participant_id, result.get("code"),
                        result.get("reason"))
            await self.end("interrupted" if self.answered else status_of_sip_code(result.get("code")))
        elif event == "notify" and _transfer_succeeded(data["result"]):
            # The far end reports (NOTIFY, message/sipfrag) that it reached the forward destination:
            # our part of the call is over, leave it as a transferor does (RFC 5589).
            logger.info("participant %s: SIP call forwarded", self.participant_id)
            await self.end("interrupted")
        elif event:
            logger.info("participant %s: SIP event %s", self.participant_id, data["result"])

    async def _join_conference(self) -> None:
        try:
            flags = await self.leg.start(self.far_end_audio)
        except JanusError as exc:
            logger.warning("participant %s: SIP call answered but joining the room failed: %s",
                           self.participant_id, exc)
            await self.end("error")
            return
        async with self._state_lock:
            if self.ended:
                return
            self.answered = True
            await self._on_state(True, flags)
        if not self.outcome.done():
            self.outcome.set_result("answered")

    def _session_lost(self) -> None:
        asyncio.get_running_loop().create_task(self.end("interrupted"))

    # --- the end -------------------------------------------------------------------------------

    async def end(self, status: str) -> None:
        """Ends the call at any stage; safe to call more than once."""
        if self.ended:
            return
        self.ended = True
        if not self.outcome.done():
            self.outcome.set_result(status)
        if self.handle is not None and self.session is not None and self.session.alive and not self._hung_up.is_set():
            # An incoming call not yet accepted is declined (the plugin refuses `hangup` then).
            request = {"request": "hangup"} if self._accepted or not self.incoming else {"request": "decline", "code": 480}
            try:
                await self.handle.message(request)
                # The BYE/CANCEL is on its way; let the plugin finish it before the handle goes.
                await asyncio.wait_for(self._hung_up.wait(), HANGUP_WAIT_SECONDS)
            except (JanusError, asyncio.TimeoutError) as exc:
                logger.info("participant %s: SIP hangup: %s", self.participant_id, exc or "no confirmation")
        if self.session is not None and self.owns_session:
            await self.session.destroy()  # detaches the SIP handle
        if self._worker is not asyncio.current_task():
            self._worker.cancel()
        if self.pc is not None:
            await self.pc.close()
        await self.leg.close()
        async with self._state_lock:  # an "online" write under way finishes first
            if self.answered:
                await self._on_state(False, {"audio": False, "video": False})
        await self._on_end(self, self.outcome.result())
