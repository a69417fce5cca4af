"""The `sip` process (`manage.py mind_sip`, a Procfile entry of its own): the only holder of SIP calls.

At start it gets a new boot id, reconciles the calls a previous boot left (killed, crashed: their
participants go offline, which for a dial-in caller means leaving the meeting), announces itself
(`sip_remote.PROCESS_KEY`, refreshed while it runs), serves requests from web processes
(`sip_remote.REQUESTS`) and, when SIP_DIAL_IN is on, binds SIP_BIND:SIP_PORT for dial-in (a taken
port stops the process: the supervisor retries). One sip process runs per deployment: it alone
binds the SIP port, and forward/hang-up must reach the process holding the call.

SIGTERM/SIGINT: stops taking requests, ends every call (BYE; dial-in callers leave the meeting),
withdraws the announcement and exits.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import redis

from mind.engine import sip
from mind.engine.sip_remote import (
    CALLS_KEY,
    HEARTBEAT_SECONDS,
    PROCESS_KEY,
    PROCESS_TTL,
    REPLY_TTL,
    REQUEST_MARGIN_SECONDS,
    REQUESTS,
    connect,
    held_calls,
    running_process,
)
from mind.services import MindApiError

logger = logging.getLogger(__name__)

GONE = {"audio": False, "video": False}
WORKERS = 16  # requests served at once (a dial-out occupies one for its whole ringing time)


def reconcile_calls(current_boot: str | None = None) -> int:
    """Takes offline the participants of calls no running sip process holds; returns how many.

    From the sip process at start (`current_boot` = its own) and from the periodic Celery task (the
    running process's boot, or none: then every registered call is dead)."""
    with connect() as client:
        if current_boot is None:
            process = running_process(client)
            current_boot = process.get("boot") if process else None
        dead = {pid: call for pid, call in held_calls(client).items() if call.get("boot") != current_boot}
    for participant_id, call in dead.items():
        logger.info("participant %s: its SIP call died with sip process %s; taking it offline",
                    participant_id, call.get("boot"))
        sip.set_state(participant_id, False, GONE)  # offline: a dial-in caller leaves the meeting
        with connect() as client:
            raw = client.hget(CALLS_KEY, participant_id)
            if raw and json.loads(raw).get("boot") == call.get("boot"):
                client.hdel(CALLS_KEY, participant_id)
    return len(dead)


class SipProcess:
    def __init__(self):
        self.boot = uuid.uuid4().hex
        self.gateway = sip.SipGateway(boot=self.boot)
        self.stopping = threading.Event()
        self.workers = ThreadPoolExecutor(WORKERS, thread_name_prefix="sip-request")
        self.dial_in = False

    def announce(self, client: redis.Redis) -> None:
        client.set(PROCESS_KEY, json.dumps({"boot": self.boot, "pid": os.getpid(), "host": socket.gethostname(),
                                            "dial_in": self.dial_in}), ex=PROCESS_TTL)

    def withdraw(self) -> None:
        try:
            with connect() as client:
                process = running_process(client)
                if process and process.get("boot") == self.boot:
                    client.delete(PROCESS_KEY)
        except redis.RedisError as exc:
            logger.warning("could not withdraw the sip process announcement: %s", exc)

    def run(self) -> None:
        reconciled = reconcile_calls(self.boot)
        if reconciled:
            logger.info("took %d participant(s) of dead SIP calls offline", reconciled)
        # Announced before dial-in starts: the calls it takes are this boot's, never "dead".
        with connect() as client:
            self.announce(client)
        heartbeat = threading.Thread(target=self._heartbeat, name="sip-heartbeat", daemon=True)
        heartbeat.start()
        requests = threading.Thread(target=self._serve, name="sip-requests", daemon=True)
        requests.start()
        try:
            ingress = sip.start_dial_in(self.gateway)
            if ingress is not None:
                self.dial_in = True
                with connect() as client:
                    self.announce(client)
            logger.info("sip process %s ready (dial-in %s)", self.boot,
                        f"on udp {ingress.bind}:{ingress.port}" if ingress else "off")
            while not self.stopping.wait(1):
                pass
        finally:
            self.stopping.set()
            self.withdraw()  # no new requests are sent here
            requests.join(5)
            self.gateway.stop()
            self.workers.shutdown(wait=False, cancel_futures=True)
            logger.info("sip process %s stopped", self.boot)

    def _heartbeat(self) -> None:
        while not self.stopping.wait(HEARTBEAT_SECONDS):
            try:
                with connect() as client:
                    self.announce(client)
            except redis.RedisError as exc:
                logger.warning("sip process heartbeat: %s", exc)

    def _serve(self) -> None:
        client = connect()
        while not self.stopping.is_set():
            try:
                taken = client.blpop([REQUESTS], 1)
            except redis.RedisError as exc:
                logger.warning("sip process: cannot read requests: %s", exc)
                time.sleep(1)
                continue
            if taken is None:
                continue
            try:
                request = json.loads(taken[1])
                reply = request["reply"]
            except (ValueError, KeyError, TypeError):
                logger.warning("sip process: dropped a malformed request")
                continue
            if time.time() > float(request.get("accept_by", 0)):  # its sender gave up: never run it late
                continue
            self._answer(client, reply, {"accepted": self.boot})
            self.workers.submit(self._run_request, request)

    def _run_request(self, request: dict) -> None:
        args = request.get("args") or {}
        timeout = REQUEST_MARGIN_SECONDS + (int(args.get("timeout", 0)) if request.get("op") == "dial" else 0)
        try:
            answer: dict = {"result": self.gateway.handle(request.get("op", ""), args, timeout)}
        except MindApiError as exc:
            answer = {"error": {"status": exc.status, "message": exc.message}}
        except ValueError as exc:  # an address the web process validated but we could not parse
            answer = {"error": {"status": 400, "message": str(exc)}}
        except Exception as exc:  # noqa: BLE001 (the caller gets an answer whatever happened)
            logger.exception("sip request %s failed", request.get("op"))
            answer = {"error": {"status": 502, "message": f"The SIP request failed: {exc}"}}
        try:
            with connect() as client:
                self._answer(client, request["reply"], answer)
        except redis.RedisError as exc:
            logger.warning("sip process: could not answer a %s request: %s", request.get("op"), exc)

    @staticmethod
    def _answer(client: redis.Redis, reply: str, answer: dict) -> None:
        with client.pipeline() as pipe:
            pipe.rpush(reply, json.dumps(answer))
            pipe.expire(reply, REPLY_TTL)
            pipe.execute()


def run_sip_process() -> None:
    process = SipProcess()

    def stop(signum, frame):
        process.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    process.run()
