"""How the rest of the product reaches the `sip` process: requests over Redis, and its call registry.

The `sip` process (`manage.py mind_sip`, `mind.engine.sip_process`) owns every SIP call: the dial-in
socket, the Janus SIP handles, the aiortc bridges. Web processes (and Celery tasks) never hold a
call; `mind.apps` installs `SipClient` as the SIP gateway of `mind.services`, which sends dial-out,
forward and hang-up to the sip process and waits for its answer:

1. `PROCESS_KEY` names the running sip process (`boot` id, refreshed every `HEARTBEAT_SECONDS`,
   expires `PROCESS_TTL` seconds after it stops refreshing). None: 503 at once.
2. The request goes onto the list `REQUESTS` with a private reply list; the sip process first pushes
   `{"accepted": boot}` there, then `{"result": ...}` or `{"error": {"status", "message"}}`.
   Not accepted within `ACCEPT_SECONDS`: the request is taken back and the answer is 503. The sip
   process drops requests it takes after their `accept_by`, so a late request never runs twice.
3. While it waits for the result, the client checks that the process that accepted is still the
   one running: if it died meanwhile, 503 (no waiting out the whole dial timeout).

`CALLS_KEY` is the registry of calls (participant id -> the `boot` holding it, its conference and
direction). The sip process adds a call when it starts and removes it when it ends; calls of any
other boot are dead (the process was killed): `mind.engine.sip_process.reconcile_calls` takes
their participants offline, at the next sip process start and from the periodic Celery task.
"""

from __future__ import annotations

import json
import math
import time
import uuid

import redis
from django.conf import settings

from mind.engine import rooms
from mind.models import Role
from mind.services import MindApiError

REQUESTS = "confer:sip:requests"
REPLY_PREFIX = "confer:sip:reply:"
PROCESS_KEY = "confer:sip:process"
CALLS_KEY = "confer:sip:calls"
PROCESS_TTL = 15
HEARTBEAT_SECONDS = 5
ACCEPT_SECONDS = 5
REPLY_TTL = 120
REQUEST_MARGIN_SECONDS = 30  # on top of a dial's timeout: registering, hanging up, joining the room
POLL_SECONDS = 2

NOT_RUNNING = "SIP calls are unavailable: the SIP process is not running."


def connect() -> redis.Redis:
    # socket_timeout above the longest blocking pop (ACCEPT_SECONDS), so a pop never times out early.
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=ACCEPT_SECONDS + 10, socket_connect_timeout=5)


def running_process(client: redis.Redis) -> dict | None:
    """{"boot", "pid", "host", "dial_in"} of the sip process serving requests, or None."""
    raw = client.get(PROCESS_KEY)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def held_calls(client: redis.Redis) -> dict[str, dict]:
    """participant id -> {"boot", "conference_id", "direction"} of every call in the registry."""
    calls = {}
    for key, raw in client.hgetall(CALLS_KEY).items():
        participant_id = key.decode() if isinstance(key, bytes) else str(key)
        try:
            calls[participant_id] = json.loads(raw)
        except ValueError:
            calls[participant_id] = {}
    return calls


class SipClient:
    """The SIP gateway of web processes (installed into `mind.services` by `mind.apps`)."""

    def dial_out(self, participant, from_: str, to: str, proxy: str | None, timeout: int) -> str:
        conference = participant.conference
        args = {"conference_id": str(conference.id), "room_id": conference.janus_room_id,
                "participant_id": str(participant.pk), "publish": Role(participant.role).may_publish(rooms.PRIMARY),
                "from": from_, "to": to, "proxy": proxy, "timeout": timeout}
        return self.request("dial", args, timeout + REQUEST_MARGIN_SECONDS)["status"]

    def forward(self, participant, destination: str) -> None:
        self.request("forward", {"participant_id": str(participant.pk), "destination": destination},
                     REQUEST_MARGIN_SECONDS)

    def hang_up(self, participant) -> None:
        self.request("hang_up", {"participant_id": str(participant.pk)}, REQUEST_MARGIN_SECONDS)

    def request(self, op: str, args: dict, wait: float) -> dict:
        request_id = uuid.uuid4().hex
        reply = f"{REPLY_PREFIX}{request_id}"
        payload = json.dumps({"id": request_id, "op": op, "args": args, "reply": reply,
                              "accept_by": time.time() + ACCEPT_SECONDS})
        try:
            with connect() as client:
                if running_process(client) is None:
                    raise MindApiError(503, NOT_RUNNING)
                client.rpush(REQUESTS, payload)
                answer = client.blpop([reply], ACCEPT_SECONDS)
                if answer is None and client.lrem(REQUESTS, 1, payload):
                    raise MindApiError(503, "SIP calls are unavailable: the SIP process did not take the request.")
                if answer is None:  # taken just now: its acceptance is on the way
                    answer = client.blpop([reply], ACCEPT_SECONDS)
                    if answer is None:
                        raise MindApiError(503, "SIP calls are unavailable: the SIP process did not take the request.")
                boot = json.loads(answer[1]).get("accepted")
                deadline = time.monotonic() + wait
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise MindApiError(504, "The SIP process did not answer in time.")
                    answer = client.blpop([reply], max(1, math.ceil(min(POLL_SECONDS, left))))
                    if answer is not None:
                        break
                    current = running_process(client)
                    if current is None or current.get("boot") != boot:
                        raise MindApiError(503, "SIP calls are unavailable: the SIP process stopped during the request.")
        except redis.RedisError as exc:
            raise MindApiError(503, f"SIP calls are unavailable: Redis cannot be reached ({exc}).") from None
        result = json.loads(answer[1])
        if "error" in result:
            raise MindApiError(int(result["error"]["status"]), str(result["error"]["message"]))
        return result.get("result") or {}
