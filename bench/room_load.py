"""Benchmark: 1,000 concurrent participant sessions (signalling only, no media) on one web process.

    bin/dev bench bench/room_load.py [--sessions 1000] [--per-conference 20] [--wave 100]
                                     [--heartbeat 10] [--window 5] [--rounds 3] [--rate 10]

Starts Daphne as `bin/dev run` serves the web (config.asgi, the namespace's PostgreSQL, Redis and
Janus), creates conferences of `--per-conference` participants through the Mind services, then opens
the participants' session WebSockets (docs/mind-protocol.md) in waves of `--wave`. Every session
sends the protocol's heartbeat (`ping`, answered by `pong`) every `--heartbeat` seconds, spread
over the interval, as the browser client does. It prints:

  * connection time: from opening the socket to the session's `welcome` (the server has checked
    the token, marked the participant online, opened its Janus session and publisher handle);
  * after each wave: the web process's resident memory and its CPU (% of one core) over a
    `--window` of steady heartbeats, and both per 100 sessions;
  * fan-out latency, at the first wave and with every session open (the baseline and the full
    load, in the same run): a conference-wide chat message POSTed to the Mind REST API by one
    participant, until each other participant of the conference has it; and a presence change
    (a participant renames itself, PATCH), until each other participant sees the `updated`
    notification; p50 and p99 over all receivers, and the ratio full load / first wave;
  * the heartbeat round trip (ping -> pong) p50/p99 and the errors (sockets closed or refused,
    REST calls not answered 2xx, notifications that never arrived).

The client runs in this process on the same two cores as the server, PostgreSQL, Redis and Janus,
so the figures are those of the whole machine; the ratios are measured side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def process_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Load:
    """What every session reports: arrivals of marked notifications, pong round trips, errors."""

    def __init__(self):
        self.arrivals: dict[str, dict[str, float]] = defaultdict(dict)  # marker -> participant -> time
        self.pongs: list[float] = []
        self.errors: list[str] = []


class Session:
    def __init__(self, load: Load, conference_id: str, participant_id: str, token: str):
        self.load, self.conference_id, self.participant_id, self.token = load, conference_id, participant_id, token
        self.ws = None
        self.connect_seconds = float("nan")
        self._tasks: list[asyncio.Task] = []
        self._ping_sent: dict[str, float] = {}

    async def connect(self, url: str, heartbeat: float) -> None:
        import websockets

        started = time.perf_counter()
        try:
            self.ws = await websockets.connect(url, max_size=None, ping_interval=None, open_timeout=120)
            welcome = json.loads(await asyncio.wait_for(self.ws.recv(), 120))
        except Exception as exc:  # a refused or dropped handshake is a measured error, not a crash
            self.load.errors.append(f"connect {self.participant_id}: {exc.__class__.__name__}: {exc}")
            self.ws = None
            return
        if welcome.get("type") != "welcome":
            self.load.errors.append(f"first message of {self.participant_id} is {welcome.get('type')!r}")
        self.connect_seconds = time.perf_counter() - started
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._heartbeat(heartbeat))]

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "pong":
                    sent = self._ping_sent.pop(str(message.get("id")), None)
                    if sent is not None:
                        self.load.pongs.append(now - sent)
                elif kind in ("created", "updated"):
                    resource = message.get("resource") or {}
                    marker = resource.get("text") if message.get("location", "").startswith("/messages/") \
                        else resource.get("name")
                    if isinstance(marker, str) and marker.startswith("bench:"):
                        self.load.arrivals[marker].setdefault(self.participant_id, now)
        except Exception as exc:
            self.load.errors.append(f"socket of {self.participant_id}: {exc.__class__.__name__}: {exc}")

    async def _heartbeat(self, interval: float) -> None:
        await asyncio.sleep(random.uniform(0, interval))  # spread, as clients that joined at different times
        n = 0
        while True:
            n += 1
            ping_id = f"hb{n}"
            self._ping_sent[ping_id] = time.perf_counter()
            try:
                await self.ws.send(json.dumps({"type": "ping", "id": ping_id}))
            except Exception:
                return  # the reader reports the closed socket
            await asyncio.sleep(interval)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self.ws is not None:
            try:
                await self.ws.send(json.dumps({"type": "leave"}))
                await asyncio.wait_for(self.ws.close(), 10)
            except Exception:
                pass


async def fan_out(http, base: str, conferences: dict[str, list[Session]], load: Load, tag: str, rate: float) -> dict:
    """One chat message and one rename per conference, `rate` conferences a second; latencies to every
    other open session of the conference."""
    sent: dict[str, tuple[float, list[str]]] = {}

    async def send(conference_id: str, sessions: list[Session]) -> None:
        open_sessions = [s for s in sessions if s.ws is not None]
        if len(open_sessions) < 2:
            return
        sender, renamed = open_sessions[0], open_sessions[1]
        others = [s.participant_id for s in open_sessions if s is not sender]
        marker = f"bench:{tag}:message:{conference_id}"
        sent[marker] = (time.perf_counter(), others)
        response = await http.post(f"{base}/{conference_id}/messages", json={"sendTo": conference_id, "text": marker},
                                   headers={"Authorization": f"Bearer {sender.token}"})
        if response.status_code >= 300:
            load.errors.append(f"message: HTTP {response.status_code} {response.text[:200]}")
        marker = f"bench:{tag}:rename:{renamed.participant_id}"
        sent[marker] = (time.perf_counter(), [s.participant_id for s in open_sessions if s is not renamed])
        response = await http.patch(f"{base}/{conference_id}/participants/{renamed.participant_id}",
                                    json={"name": marker}, headers={"Authorization": f"Bearer {renamed.token}"})
        if response.status_code >= 300:
            load.errors.append(f"rename: HTTP {response.status_code} {response.text[:200]}")

    async def paced(n: int, conference_id: str, sessions: list[Session]) -> None:
        await asyncio.sleep(n / rate)  # a steady rate: the latency of fan-out, not of a queue of REST calls
        await send(conference_id, sessions)

    await asyncio.gather(*(paced(n, cid, sessions) for n, (cid, sessions) in enumerate(conferences.items())))
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and any(
            len(load.arrivals[marker]) < len(set(receivers)) for marker, (_, receivers) in sent.items()):
        await asyncio.sleep(0.1)
    latencies: dict[str, list[float]] = {"message": [], "rename": []}
    missing = 0
    for marker, (started, receivers) in sent.items():
        arrived = load.arrivals[marker]
        for participant in receivers:
            if participant in arrived:
                latencies[marker.split(":")[2]].append(arrived[participant] - started)
            else:
                missing += 1
    if missing:
        load.errors.append(f"{tag}: {missing} notifications never arrived")
    return latencies


async def run(args, port: int, pid: int, conferences_setup: list[tuple[str, list[tuple[str, str]]]],
              application_id: str) -> None:
    import httpx

    load = Load()
    conferences: dict[str, list[Session]] = {
        cid: [Session(load, cid, participant_id, token) for participant_id, token in people]
        for cid, people in conferences_setup}
    # Round-robin over conferences, so every wave adds sessions to every conference.
    order = [s for group in zip(*conferences.values(), strict=False) for s in group]
    url = f"ws://127.0.0.1:{port}/mind/{application_id}/{{conference}}/session?access_token={{token}}"
    base = f"http://127.0.0.1:{port}/mind/{application_id}"
    idle_rss = process_rss_mb(pid)
    before, started = process_cpu_seconds(pid), time.monotonic()
    await asyncio.sleep(args.window)
    idle_cpu = (process_cpu_seconds(pid) - before) / (time.monotonic() - started)
    print(f"idle web process: {idle_rss:.0f} MB resident, {idle_cpu * 100:.1f}% CPU")
    print(f"{'sessions':>8} {'connect p50':>11} {'p99':>8} {'RSS MB':>7} {'MB/100':>7} {'CPU %':>6} {'CPU%/100':>8} {'errors':>6}")
    waves, fan_outs = [], {}
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=50)) as http:
        for start in range(0, len(order), args.wave):
            wave = order[start:start + args.wave]
            await asyncio.gather(*(s.connect(url.format(conference=s.conference_id, token=s.token), args.heartbeat)
                                   for s in wave))
            opened = start + len(wave)
            await asyncio.sleep(1)
            before, started = process_cpu_seconds(pid), time.monotonic()
            await asyncio.sleep(args.window)
            cpu = (process_cpu_seconds(pid) - before) / (time.monotonic() - started)
            rss = process_rss_mb(pid)
            times = [s.connect_seconds for s in wave if s.ws is not None]
            row = {"sessions": opened, "p50": percentile(times, 0.5), "p99": percentile(times, 0.99), "rss": rss,
                   "rss_per_100": (rss - idle_rss) / opened * 100, "cpu": cpu,
                   "cpu_per_100": (cpu - idle_cpu) / opened * 100, "errors": len(load.errors)}
            waves.append(row)
            print(f"{opened:8d} {row['p50'] * 1000:9.0f}ms {row['p99'] * 1000:6.0f}ms {rss:7.0f} "
                  f"{row['rss_per_100']:7.1f} {cpu * 100:6.1f} {row['cpu_per_100'] * 100:8.2f} {len(load.errors):6d}",
                  flush=True)
            if start == 0 or opened == len(order):
                label = f"{opened} sessions"
                results: dict[str, list[float]] = {"message": [], "rename": []}
                for round_ in range(args.rounds):
                    got = await fan_out(http, base, conferences, load, f"{opened}-{round_}", args.rate)
                    for kind in results:
                        results[kind] += got[kind]
                    await asyncio.sleep(1)
                fan_outs[label] = results
        all_times = [s.connect_seconds for group in conferences.values() for s in group if s.ws is not None]
        print(f"\nconnection time over all {len(all_times)} sessions: p50 {percentile(all_times, 0.5) * 1000:.0f} ms, "
              f"p99 {percentile(all_times, 0.99) * 1000:.0f} ms, max {max(all_times, default=0) * 1000:.0f} ms")
        print(f"heartbeat round trip: p50 {percentile(load.pongs, 0.5) * 1000:.1f} ms, "
              f"p99 {percentile(load.pongs, 0.99) * 1000:.1f} ms ({len(load.pongs)} pongs)")
        print(f"\n{'fan-out':24} {'receivers':>9} {'p50 ms':>8} {'p99 ms':>8} {'p99 vs first wave':>18}")
        labels = list(fan_outs)
        for kind in ("message", "rename"):
            base_p99 = percentile(fan_outs[labels[0]][kind], 0.99)
            for label in labels:
                values = fan_outs[label][kind]
                p99 = percentile(values, 0.99)
                print(f"{kind + ' @ ' + label:24} {len(values):9d} {percentile(values, 0.5) * 1000:8.1f} "
                      f"{p99 * 1000:8.1f} {p99 / base_p99 if base_p99 else float('nan'):18.2f}")
        if waves:
            last = waves[-1]
            print(f"\nweb process at {last['sessions']} sessions: {last['rss']:.0f} MB resident "
                  f"({last['rss_per_100']:.1f} MB per 100 sessions over idle), {last['cpu'] * 100:.1f}% of a core "
                  f"({last['cpu_per_100'] * 100:.2f}% per 100 sessions, heartbeat every {args.heartbeat:g} s)")
        print(f"errors: {len(load.errors)}")
        for error in load.errors[:10]:
            print("  " + error)
    await asyncio.gather(*(s.close() for group in conferences.values() for s in group))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--per-conference", type=int, default=20)
    parser.add_argument("--wave", type=int, default=100)
    parser.add_argument("--heartbeat", type=float, default=10.0, help="seconds between a session's pings")
    parser.add_argument("--window", type=float, default=5.0, help="seconds of steady state per CPU figure")
    parser.add_argument("--rounds", type=int, default=3, help="fan-out rounds per measured point")
    parser.add_argument("--rate", type=float, default=10.0,
                        help="conferences a second that get a message and a rename in a fan-out round")
    args = parser.parse_args()

    import logging

    import django

    logging.disable(logging.WARNING)
    from tests.mind import conftest as mind_conftest

    os.environ["MIND_APPLICATION_ID"] = mind_conftest.APPLICATION_ID
    os.environ["MIND_APPLICATION_TOKEN"] = mind_conftest.APPLICATION_TOKEN
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from mind import services
    from tests.mind.media_peer import start_daphne, stop_process

    actor = services.application_actor()
    started = time.monotonic()
    setup = []
    for n in range(0, args.sessions, args.per_conference):
        conference = services.create_conference(actor, {"name": f"room load {n // args.per_conference}"})
        people = [services.create_participant(actor, conference.id, {"name": f"p{i}"})
                  for i in range(min(args.per_conference, args.sessions - n))]
        setup.append((str(conference.id), [(str(p.id), token) for p, token in people]))
    print(f"{len(setup)} conferences, {args.sessions} participants created in {time.monotonic() - started:.0f} s")
    # The grace period keeps a dropped session's Janus handles; the bench closes with `leave`.
    proc, port = start_daphne(Path(tempfile.mkdtemp(prefix="bench-room-")))
    try:
        asyncio.run(run(args, port, proc.pid, setup, mind_conftest.APPLICATION_ID))
    finally:
        stop_process(proc)
        for conference_id, _ in setup:
            try:
                services.delete_conference(actor, conference_id)
            except Exception:  # noqa: BLE001  (clean-up of a throwaway namespace: best effort)
                pass


if __name__ == "__main__":
    main()
