"""The contract between the engine's SIP dial-in and whoever decides who may call in.

The engine knows conferences and participants, not meetings, passcodes or waiting rooms. For
each INVITE that reaches the dial-in front end (`sip_ingress`), it calls the handler named by
the setting `SIP_DIAL_IN_HANDLER` (a dotted path; the product's is `meetings.sip.answer_call`)
in a worker thread, with an `IncomingCall`. The handler either

- returns an `Admission`: the Mind participant (already created in the conference) the caller
  becomes; the engine then answers the call and bridges it like a dial-out call, and calls
  `Admission.ended()` once the call is over, whatever ended it; or
- raises `CallRejected(status, reason)`: the engine answers the INVITE with that SIP status.

The handler may take its time (a waiting room): the caller hears nothing but has a `100 Trying`.
If the caller gives up (CANCEL) meanwhile, `IncomingCall.cancelled` is set.

A call that names no meeting (no signed code, no passcode: `sip:<anything>@domain`) may instead get
a `KeypadEntry`: the engine answers it, plays spoken prompts and collects the meeting ID and
passcode from the keypad (`sip_keypad`), then calls `KeypadEntry.check(meeting_id, passcode)` in a
worker thread. `check` returns an `Admission` (as above), raises `WrongEntry` (the caller may try
again, up to `KeypadEntry.tries` times) or `CallRejected` (the call ends with a spoken reason and
BYE). `IncomingCall.cancelled` is set when the caller hangs up while `check` waits (waiting room).

`Admission.muted`: the caller joins muted; `*6` on the keypad toggles it (for every dial-in call).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class IncomingCall:
    request_uri: str  # as the caller sent it, e.g. sip:123@host:5060;pwd=1234;pic=...
    to_uri: str  # the To header's URI (some phones put the dialled parameters only there)
    caller_uri: str  # the From header's URI
    caller_name: str  # the From header's display name ("" if none)
    call_id: str
    source: str  # the caller's IP address, for rate limits
    cancelled: threading.Event = field(default_factory=threading.Event)


@dataclass
class Admission:
    conference_id: str
    participant_id: str
    ended: Callable[[], None] = lambda: None  # run in a worker thread when the call is over
    muted: bool = False  # the caller's audio starts muted (*6 unmutes)


@dataclass
class KeypadEntry:
    check: Callable[[str, str], Admission]  # (meeting id digits, passcode digits), in a worker thread
    cancelled: threading.Event  # set when the caller hangs up (a check may be waiting)
    tries: int = 3
    ended: Callable[[], None] = lambda: None  # the call ended before any admission


class WrongEntry(Exception):
    """The digits do not lead to a meeting (unknown meeting, wrong passcode): the caller may retry."""


class CallRejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason
