"""The SIP gateway: dial-out, forward and hang-up for the Mind API (`mind.services` calls `gateway()`),
and dial-in (`sip_ingress`, started by `start_dial_in()` when the web process boots).

Where calls run: in the process that received the dial-out request, on one event-loop thread of
its own ("sip-gateway"), which holds a Janus WebSocket connection (keepalives included) and every
call's aiortc peers. The REST views are synchronous: they hand their request to that loop and wait
for the answer (a dial-out waits until the call is answered or fails, at most `timeout` seconds).
A call outlives the request that placed it; forward and hang-up find it by participant id, so
they must reach the same process: the Procfile runs one web process (Daphne). If this process
dies, its Janus session times out (60 s without keepalives) and Janus ends the SIP call; the
reconciliation task releases anything left.

Database writes (presence, media flags, the call status) run in worker threads with their own
connections: never on the waiting request's thread, which would deadlock under Daphne.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from django.conf import settings

from mind import services
from mind.engine import rooms
from mind.engine.db import in_thread
from mind.engine.janus import JanusError
from mind.engine.sip_address import SipAddress, parse_address
from mind.engine.sip_bridge import ConferenceLeg
from mind.engine.sip_call import NotInCall, SipCall
from mind.engine.sip_ingress import SipIngress
from mind.models import Participant, Role

logger = logging.getLogger(__name__)

REQUEST_MARGIN_SECONDS = 30  # on top of the dial timeout: registering, hanging up, joining the room


def _set_state(participant_id, online: bool, flags: dict) -> None:
    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is None:  # deleted meanwhile: nothing left to update
        return
    # Online before media, media off before offline: no notification shows media while offline.
    if online:
        services.set_online(participant, True)
    services.set_media(participant, flags, None)
    if not online:
        services.set_online(participant, False)


def _set_flags(participant_id, flags: dict) -> None:
    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is not None:
        services.set_media(participant, flags, None)


def _record_status(participant_id, status: str) -> None:
    Participant.objects.filter(pk=participant_id).update(sip_status=status)


def _dial_in_context(conference_id, participant_id):
    """(room id, may the participant publish) for a dial-in call, or None if it is gone."""
    participant = Participant.objects.select_related("conference").filter(
        pk=participant_id, conference_id=conference_id).first()
    if participant is None:
        return None
    return participant.conference.janus_room_id, Role(participant.role).may_publish(rooms.PRIMARY)


class SipGateway:
    def __init__(self):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="sip-gateway", daemon=True)
        self._thread.start()
        self._calls: dict[str, SipCall] = {}  # participant id -> its call (only touched on the loop)
        self.ingress = None  # SipIngress, when this process takes dial-in calls

    def _run(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    # --- called by mind.services (request threads) -----------------------------------------------

    def dial_out(self, participant: Participant, from_: str, to: str, proxy: str | None, timeout: int) -> str:
        caller, callee = parse_address(from_), parse_address(to)
        conference = participant.conference
        return self._run(self._dial(conference.id, conference.janus_room_id, participant.pk,
                                    Role(participant.role).may_publish(rooms.PRIMARY), caller, callee, proxy, timeout),
                         timeout + REQUEST_MARGIN_SECONDS)

    def forward(self, participant: Participant, destination: str) -> None:
        self._run(self._forward(participant.pk, parse_address(destination)), REQUEST_MARGIN_SECONDS)

    def hang_up(self, participant: Participant) -> None:
        self._run(self._hang_up(participant.pk), REQUEST_MARGIN_SECONDS)

    def start_dial_in(self, *, bind: str, port: int, calls: int, handler: str, public_host: str = ""):
        """Starts listening for dial-in calls; returns the SipIngress (raises OSError if the port is taken)."""
        ingress = SipIngress(self, bind=bind, port=port, calls=calls, handler=handler, public_host=public_host)
        self._run(ingress.start(), REQUEST_MARGIN_SECONDS)
        self.ingress = ingress
        return ingress

    # --- on the gateway loop ---------------------------------------------------------------------

    async def _dial(self, conference_id, room_id, participant_id, publish: bool, caller: SipAddress,
                    callee: SipAddress, proxy: str | None, timeout: int) -> str:
        key = str(participant_id)
        if key in self._calls:
            raise services.MindApiError(409, "This participant is already in a SIP call.")
        leg = ConferenceLeg(
            conference_id, room_id, participant_id, may_publish=publish,
            room_body=lambda: in_thread(rooms.room_body, conference_id),
            on_flags=lambda flags: in_thread(_set_flags, participant_id, flags),
            on_gone=lambda reason: self._ended_by_room(key, reason),
        )
        call = SipCall(conference_id, room_id, participant_id, leg=leg,
                       on_state=lambda online, flags: in_thread(_set_state, participant_id, online, flags),
                       on_end=self._forget)
        self._calls[key] = call
        status = await call.dial(caller, callee, proxy, timeout)
        await in_thread(_record_status, participant_id, status)
        return status

    async def incoming_call(self, admission, on_end) -> SipCall | None:
        """A call for an admitted dial-in caller (`sip_ingress` answers it on its own handle)."""
        key = str(admission.participant_id)
        context = await in_thread(_dial_in_context, admission.conference_id, admission.participant_id)
        if context is None or key in self._calls:
            return None
        room_id, publish = context
        conference_id, participant_id = admission.conference_id, admission.participant_id
        leg = ConferenceLeg(
            conference_id, room_id, participant_id, may_publish=publish,
            room_body=lambda: in_thread(rooms.room_body, conference_id),
            on_flags=lambda flags: in_thread(_set_flags, participant_id, flags),
            on_gone=lambda reason: self._ended_by_room(key, reason),
        )

        async def ended(call: SipCall, status: str) -> None:
            await self._forget(call, status)
            await on_end(call, status)

        call = SipCall(conference_id, room_id, participant_id, leg=leg, incoming=True,
                       on_state=lambda online, flags: in_thread(_set_state, participant_id, online, flags),
                       on_end=ended)
        self._calls[key] = call
        return call

    async def _forget(self, call: SipCall, status: str) -> None:
        if self._calls.get(call.participant_id) is call:
            del self._calls[call.participant_id]

    async def _ended_by_room(self, key: str, reason: str) -> None:
        call = self._calls.get(key)
        if call is not None:
            logger.info("participant %s: SIP call ends: %s", key, reason)
            asyncio.get_running_loop().create_task(call.end("interrupted"))

    async def _forward(self, participant_id, destination: SipAddress) -> None:
        call = self._calls.get(str(participant_id))
        try:
            if call is None:
                raise NotInCall
            await call.forward(destination)
        except NotInCall:
            raise services.MindApiError(409, "This participant is not in an answered SIP call.") from None
        except JanusError as exc:
            raise services.MindApiError(502, f"The call could not be forwarded: {exc}") from None

    async def _hang_up(self, participant_id) -> None:
        call = self._calls.get(str(participant_id))
        if call is not None:  # no call: nothing to do, as the seeds say
            await call.end("interrupted")


_gateway: SipGateway | None = None
_lock = threading.Lock()


def gateway() -> SipGateway:
    global _gateway
    with _lock:
        if _gateway is None:
            _gateway = SipGateway()
        return _gateway


def start_dial_in() -> None:
    """Called once by the web process at start: listens on SIP_BIND:SIP_PORT when SIP_DIAL_IN is on."""
    if not settings.SIP_DIAL_IN or settings.MIND_API_URL:  # a remote Mind takes its own calls
        return
    try:
        gateway().start_dial_in(bind=settings.SIP_BIND, port=settings.SIP_PORT,
                                calls=settings.SIP_DIAL_IN_CALLS, handler=settings.SIP_DIAL_IN_HANDLER,
                                public_host=settings.SIP_DOMAIN)
    except OSError as exc:  # e.g. another web process has the port: it takes the calls
        logger.warning("SIP dial-in not started on %s:%s: %s", settings.SIP_BIND, settings.SIP_PORT, exc)
