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


class CallRejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason
