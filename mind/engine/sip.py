"""The SIP gateway: every SIP call of the product, in the `sip` process (`mind.engine.sip_process`).

It places dial-out calls, forwards and hangs up calls (requests from web processes arrive through
`mind.engine.sip_remote`), and takes dial-in calls (`sip_ingress`, `start_dial_in`). Calls run on
one event-loop thread of its own ("sip-gateway"), which holds a Janus WebSocket connection
(keepalives included) and every call's aiortc peers. Forward and hang-up find a call by
participant id; every call is in the registry (`sip_remote.CALLS_KEY`, with this process's boot
id) while it lasts, so calls left by a killed process are reconciled (`sip_process.reconcile_calls`).
If this process dies, its Janus session times out (60 s without keepalives) and Janus ends the SIP
calls; the reconciliation takes their participants offline.

Database writes (presence, media flags, the call status) run in worker threads with their own
connections, never on the loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import threading

from django.conf import settings

from mind import services
from mind.engine import rooms, sip_prompts
from mind.engine.db import in_thread
from mind.engine.janus import JanusError
from mind.engine.sip_address import SipAddress, parse_address
from mind.engine.sip_bridge import ConferenceLeg
from mind.engine.sip_call import NotInCall, SipCall
from mind.engine.sip_ingress import SipIngress
from mind.engine.sip_remote import CALLS_KEY, REQUEST_MARGIN_SECONDS, connect
from mind.models import Participant, Role

logger = logging.getLogger(__name__)


def set_state(participant_id, online: bool, flags: dict) -> None:
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


def _register(boot: str, participant_id: str, conference_id: str, direction: str) -> None:
    with connect() as client:
        client.hset(CALLS_KEY, participant_id, json.dumps(
            {"boot": boot, "conference_id": str(conference_id), "direction": direction}))


def _unregister(boot: str, participant_id: str) -> None:
    with connect() as client:
        raw = client.hget(CALLS_KEY, participant_id)
        if raw and json.loads(raw).get("boot") == boot:  # not a later call of another boot
            client.hdel(CALLS_KEY, participant_id)


class SipGateway:
    """`boot`: this process's id in the call registry (None: calls are not registered)."""

    def __init__(self, boot: str | None = None):
        self.boot = boot
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="sip-gateway", daemon=True)
        self._thread.start()
        self._calls: dict[str, SipCall] = {}  # participant id -> its call (only touched on the loop)
        self.ingress: SipIngress | None = None  # when this process takes dial-in calls

    def _run(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    # --- called by the sip process (its request thread) -------------------------------------------

    def handle(self, op: str, args: dict, timeout: float):
        """Runs one request of `sip_remote.SipClient` (a dict in, a dict out; MindApiError on refusal)."""
        if op == "dial":
            status = self._run(self._dial(args["conference_id"], args["room_id"], args["participant_id"],
                                          bool(args["publish"]), parse_address(args["from"]),
                                          parse_address(args["to"]), args.get("proxy"), int(args["timeout"])),
                               timeout)
            return {"status": status}
        if op == "forward":
            self._run(self._forward(args["participant_id"], parse_address(args["destination"])), timeout)
            return {}
        if op == "hang_up":
            self._run(self._hang_up(args["participant_id"]), timeout)
            return {}
        raise services.MindApiError(400, f"Unknown SIP request {op!r}.")

    def stop(self, timeout: float = REQUEST_MARGIN_SECONDS) -> None:
        """Ends every call (BYE) and stops taking dial-in calls: the process is stopping."""
        try:
            self._run(self._stop(), timeout)
        except Exception:  # noqa: BLE001 (stopping anyway)
            logger.exception("SIP gateway: could not end every call")

    async def _stop(self) -> None:
        # Calls first: a dial-in call's BYE goes out through the front end.
        await asyncio.gather(*(call.end("interrupted") for call in list(self._calls.values())),
                             return_exceptions=True)
        if self.ingress is not None:
            await self.ingress.stop()

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
                       on_state=lambda online, flags: in_thread(set_state, participant_id, online, flags),
                       on_end=self._forget)
        self._calls[key] = call
        await self._register(key, conference_id, "out")
        status = await call.dial(caller, callee, proxy, timeout)
        await in_thread(_record_status, participant_id, status)
        return status

    async def _dial_in_leg(self, admission) -> tuple[int, ConferenceLeg] | None:
        """The room and conference leg of an admitted dial-in caller (None: the participant is gone,
        or already in a call)."""
        key = str(admission.participant_id)
        context = await in_thread(_dial_in_context, admission.conference_id, admission.participant_id)
        if context is None or key in self._calls:
            return None
        room_id, publish = context
        conference_id, participant_id = admission.conference_id, admission.participant_id
        return room_id, ConferenceLeg(
            conference_id, room_id, participant_id, may_publish=publish,
            room_body=lambda: in_thread(rooms.room_body, conference_id),
            on_flags=lambda flags: in_thread(_set_flags, participant_id, flags),
            on_gone=lambda reason: self._ended_by_room(key, reason),
        )

    async def incoming_call(self, admission, on_end) -> SipCall | None:
        """A call for an admitted dial-in caller (`sip_ingress` answers it on its own handle)."""
        found = await self._dial_in_leg(admission)
        if found is None:
            return None
        room_id, leg = found
        key = str(admission.participant_id)
        conference_id, participant_id = admission.conference_id, admission.participant_id

        async def ended(call: SipCall, status: str) -> None:
            await self._forget(call, status)
            await on_end(call, status)

        call = SipCall(conference_id, room_id, participant_id, leg=leg, incoming=True, admission=admission,
                       on_state=lambda online, flags: in_thread(set_state, participant_id, online, flags),
                       on_end=ended)
        self._calls[key] = call
        await self._register(key, conference_id, "in")
        return call

    async def keypad_call(self, entry, on_end) -> SipCall:
        """A dial-in call without a code: answered first, it joins a conference once the keypad menu
        admits it (`join_keypad_caller`)."""

        async def ended(call: SipCall, status: str) -> None:
            await self._forget(call, status)
            await on_end(call, status)

        call: SipCall

        async def on_state(online: bool, flags: dict) -> None:
            await in_thread(set_state, call.participant_id, online, flags)

        call = SipCall("", 0, "", leg=None, incoming=True, keypad_entry=entry, on_state=on_state,
                       on_end=ended, join_conference=self._join_keypad_caller)
        return call

    async def _join_keypad_caller(self, call: SipCall, admission) -> ConferenceLeg | None:
        """The ConferenceLeg of a keypad caller the menu admitted (None: the participant is gone)."""
        found = await self._dial_in_leg(admission)
        if found is None:
            return None
        key = str(admission.participant_id)
        self._calls[key] = call
        await self._register(key, admission.conference_id, "in")
        return found[1]

    async def _register(self, key: str, conference_id, direction: str) -> None:
        if self.boot is not None:
            await asyncio.get_running_loop().run_in_executor(None, _register, self.boot, key, conference_id, direction)

    async def _forget(self, call: SipCall, status: str) -> None:
        if self._calls.get(call.participant_id) is call:
            del self._calls[call.participant_id]
            if self.boot is not None:
                try:
                    await asyncio.get_running_loop().run_in_executor(None, _unregister, self.boot, call.participant_id)
                except Exception:  # noqa: BLE001 (the reconciliation would take it offline again: harmless)
                    logger.exception("participant %s: could not unregister the SIP call", call.participant_id)

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


def start_dial_in(gateway: SipGateway) -> SipIngress | None:
    """Listens on SIP_BIND:SIP_PORT when SIP_DIAL_IN is on (raises OSError if the port is taken)."""
    if not settings.SIP_DIAL_IN or settings.MIND_API_URL:  # a remote Mind takes its own calls
        return None
    threading.Thread(target=_render_prompts, name="sip-prompts", daemon=True).start()
    return gateway.start_dial_in(bind=settings.SIP_BIND, port=settings.SIP_PORT,
                                 calls=settings.SIP_DIAL_IN_CALLS, handler=settings.SIP_DIAL_IN_HANDLER,
                                 public_host=settings.SIP_DOMAIN)


def _render_prompts() -> None:
    """The keypad menu's speech, synthesised before the first caller needs it (else: on first use)."""
    try:
        sip_prompts.render_all()
    except (OSError, subprocess.SubprocessError) as exc:
        logger.warning("SIP dial-in: could not synthesise the keypad prompts now: %s", exc)
