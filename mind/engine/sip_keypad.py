"""The phone keypad: DTMF digits from SIP INFO and RFC 4733 telephone events, the dial-in menu, mute.

Digits reach a call two ways, both ending in `Keypad.press`:
- SIP INFO (`application/dtmf-relay`: `Signal=5`, or `application/dtmf`: `5`) passes through the
  dial-in front end (`sip_ingress`), which answers it itself;
- RFC 4733 telephone events in the RTP: the Janus SIP plugin relays the phone's RTP to our aiortc
  peer as it is, so `watch_telephone_events` reads the events' payload type there, before aiortc
  drops packets of a payload type it does not decode. One digit per event (its RTP timestamp),
  reported on its first packet; the retransmitted end packets are ignored.

`run_menu` is the keypad dial-in menu of a call without a code (`sip_dial_in.KeypadEntry`): the
meeting ID, then the passcode, each followed by `#`; `entry.tries` attempts; spoken prompts
(`sip_prompts`). In the meeting, `*6` toggles the caller's mute (`MuteGate`), as in Zoom.
"""

from __future__ import annotations

import asyncio
import logging
import re
import struct
from typing import Awaitable, Callable, cast

from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame

from mind.engine.db import in_thread
from mind.engine.sip_dial_in import Admission, CallRejected, KeypadEntry, WrongEntry
from mind.engine.sip_prompts import PromptTrack

logger = logging.getLogger(__name__)

DIGITS = "0123456789*#ABCD"  # RFC 4733 events 0-15
ENTRY_SECONDS = 20  # after a prompt, how long the caller may take to finish an entry
MAX_ENTRY = 20  # digits: a meeting ID has at most 19
_SIGNAL = re.compile(r"^\s*signal\s*=\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def digit_of_info(content_type: str, body: bytes) -> str | None:
    """The digit a SIP INFO carries, or None (not a DTMF INFO, or garbage)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    text = body.decode("utf-8", "replace")
    if kind == "application/dtmf-relay":
        match = _SIGNAL.search(text)
        value = match.group(1) if match else ""
    elif kind == "application/dtmf":
        value = text.strip()
    else:
        return None
    if value.isdigit() and len(value) <= 2 and int(value) < len(DIGITS):
        value = DIGITS[int(value)] if len(value) == 2 else value  # "10" and "11" are * and #
    value = value.upper()
    return value if len(value) == 1 and value in DIGITS else None


class Keypad:
    """The digits a caller pressed, in order."""

    def __init__(self):
        self.digits: asyncio.Queue[str] = asyncio.Queue()
        self._last_event: tuple[int, int] | None = None  # (ssrc, timestamp) of the last RTP event
        self._last_ended = False  # whether its last packet was an end packet

    def press(self, digit: str) -> None:
        self.digits.put_nowait(digit)

    def telephone_event(self, ssrc: int, timestamp: int, payload: bytes) -> None:
        if len(payload) < 4:
            return
        event, flags, _duration = struct.unpack("!BBH", payload[:4])
        if event >= len(DIGITS):
            return
        end = bool(flags & 0x80)
        # A new event has a new timestamp; one that starts again after its end packets was pressed again.
        pressed = (ssrc, timestamp) != self._last_event or (self._last_ended and not end)
        self._last_event, self._last_ended = (ssrc, timestamp), end
        if pressed:
            self.press(DIGITS[event])

    async def entry(self, timeout: float = ENTRY_SECONDS) -> str | None:
        """Digits up to `#` (not included); None when the caller stops typing for `timeout` s."""
        typed = ""
        while True:
            try:
                digit = await asyncio.wait_for(self.digits.get(), timeout)
            except asyncio.TimeoutError:
                return None
            if digit == "#":
                return typed
            if len(typed) < MAX_ENTRY:
                typed += digit


def telephone_event_type(sdp: str) -> int | None:
    """The payload type of `telephone-event/8000` in an SDP, if offered."""
    match = re.search(r"^a=rtpmap:(\d+) telephone-event/8000", sdp, re.IGNORECASE | re.MULTILINE)
    return int(match.group(1)) if match else None


def accept_telephone_events(answer: str, payload_type: int) -> str:
    """Our SDP answer with telephone events accepted on the audio line (aiortc does not list them),
    so that the phone sends its keypad as RFC 4733 events."""
    if f"a=rtpmap:{payload_type} " in answer:
        return answer
    extra = [f"a=rtpmap:{payload_type} telephone-event/8000", f"a=fmtp:{payload_type} 0-16"]
    out: list[str] = []
    in_audio = added = False
    for line in answer.rstrip("\r\n").split("\r\n"):
        if line.startswith("m="):
            if in_audio:
                out += extra
                added = True
            in_audio = not added and line.startswith("m=audio ") and line.split(" ")[1] != "0"
            if in_audio:
                line += f" {payload_type}"
        out.append(line)
    if in_audio:
        out += extra
    return "\r\n".join(out) + "\r\n"


def watch_telephone_events(receiver, payload_type: int, keypad: Keypad) -> None:
    """Reads RFC 4733 events on an aiortc RTCRtpReceiver (which would drop them: no such codec)."""
    handle = receiver._handle_rtp_packet  # noqa: SLF001 (aiortc has no hook for unknown payload types)

    async def handle_rtp_packet(packet, arrival_time_ms):
        if packet.payload_type == payload_type:
            keypad.telephone_event(packet.ssrc, packet.timestamp, packet.payload)
            return
        await handle(packet, arrival_time_ms)

    receiver._handle_rtp_packet = handle_rtp_packet  # noqa: SLF001


def route_telephone_events(receiver, payload_type: int) -> None:
    """Lets the receiver's transport route the events' payload type to it (aiortc routes only the
    negotiated codecs'); call once the descriptions are set (the transport exists)."""
    router = receiver.transport._rtp_router  # noqa: SLF001 (see watch_telephone_events)
    router.payload_type_table.setdefault(payload_type, set()).add(receiver)


class MuteGate(MediaStreamTrack):
    """The phone's audio as the conference gets it: silence while muted."""

    kind = "audio"

    def __init__(self, source: MediaStreamTrack, muted: bool):
        super().__init__()
        self.source = source
        self.muted = muted

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        frame = cast(AudioFrame, await self.source.recv())  # an audio track's frames
        if not self.muted:
            return frame
        silent = AudioFrame(format=frame.format.name, layout=frame.layout.name, samples=frame.samples)
        for plane in silent.planes:
            plane.update(bytes(plane.buffer_size))
        silent.pts, silent.sample_rate, silent.time_base = frame.pts, frame.sample_rate, frame.time_base
        return silent


async def _say(prompts: PromptTrack, keypad: Keypad, name: str) -> None:
    """Plays a prompt; a key pressed meanwhile cuts it short (the digit is kept)."""
    playing = asyncio.ensure_future(prompts.play(name))
    while not playing.done():
        if not keypad.digits.empty():
            prompts.interrupt()
            break
        await asyncio.wait([playing], timeout=0.05)
    await playing


def _end_late_admission(checking: asyncio.Future) -> None:
    if not checking.cancelled() and checking.exception() is None:
        asyncio.ensure_future(in_thread(checking.result().ended))


async def run_menu(entry: KeypadEntry, prompts: PromptTrack, keypad: Keypad,
                   on_waiting: Callable[[], Awaitable[None]] | None = None) -> Admission | None:
    """Asks for the meeting ID and passcode until `check` admits the caller; None: say goodbye, hang up.
    The caller's Admission is returned at once (the caller then hears "joining")."""
    for attempt in range(entry.tries):
        await _say(prompts, keypad, "welcome" if attempt == 0 else "meeting_id")
        meeting_id = await keypad.entry()
        passcode = None
        if meeting_id:
            await _say(prompts, keypad, "passcode")
            passcode = await keypad.entry()
        if meeting_id and passcode is not None:
            checking = asyncio.ensure_future(in_thread(entry.check, meeting_id, passcode))
            try:
                done, _ = await asyncio.wait([checking], timeout=1)
                if not done and on_waiting is not None:  # the check waits (the waiting room): tell the caller
                    await on_waiting()
                admission = await asyncio.shield(checking)
            except WrongEntry:
                pass
            except CallRejected as exc:
                logger.info("keypad dial-in refused: %s", exc)
                await prompts.play("not_started" if exc.status == 480 else "refused")
                break
            except asyncio.CancelledError:  # the caller hung up: a late admission is ended at once
                checking.add_done_callback(_end_late_admission)
                raise
            else:
                return admission
        if attempt + 1 < entry.tries:
            await _say(prompts, keypad, "wrong")
    await prompts.play("goodbye")
    return None
