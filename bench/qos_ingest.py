"""Benchmark: sustained quality samples per second through the real ingest path.

N participant sockets (conferences of 5 people) on a real Daphne with the embedded engine send
`qosSample` messages as the room's client does (2 outgoing streams and 8 received ones each: 10
rows), each asking for the reply (`id`), so every counted sample went socket -> engine hook ->
validation -> per-participant rate limit (Redis) -> bulk INSERT + rating update (PostgreSQL) -> reply.
Each participant sends again as soon as its rate-limit slot allows (`--interval`, the server's
QOS_MIN_SAMPLE_INTERVAL for this run), so the offered load is N / interval samples per second.

It prints, over a steady window (the web process's CPU time too, read from /proc):
  * accepted samples per second and rows per second;
  * the ratio to 200 samples/s, the load of 1,000 participants sending one sample every 5 s
    (the target is >= 5x);
  * a baseline measured in the same run on the same sockets: `ping` round trips per second (the
    socket path without the database), and the ingest rate as a share of it.

    bin/dev bench bench/qos_ingest.py [--participants 500] [--interval 1] [--window 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TARGET = 200.0  # samples/s of 1,000 participants reporting every 5 s
PER_CONFERENCE = 5


def stream(**extra):
    return {"bitrate": 480_000, "rtt": 38, "jitter": 4, "losses": 0.2, "delay": 35, "rate": 30, "width": 640,
            "height": 360, **extra}


def sample(peers: list[str]) -> dict:
    incoming = [{"participantId": peer, "media": "primary", "kind": kind,
                 **(stream(bitrate=32_000, rate=48000, width=0, height=0) if kind == "audio" else stream())}
                for peer in peers for kind in ("audio", "video")]
    return {"timestamp": time.time() * 1000, "transport": {"protocol": "udp"},
            "outgoing": {"primary": {"audio": stream(bitrate=32_000, rate=48000, width=0, height=0), "video": stream()}},
            "incoming": incoming}


class Client:
    def __init__(self, url: str, me: str, peers: list[str]):
        self.url, self.me, self.peers = url, me, peers
        self.ws = None
        self.next_id = 0

    async def connect(self):
        import websockets

        self.ws = await websockets.connect(self.url, max_size=None)
        while json.loads(await self.ws.recv()).get("type") != "welcome":
            pass

    async def request(self, message: dict) -> dict:
        self.next_id += 1
        wanted = str(self.next_id)
        await self.ws.send(json.dumps({**message, "id": wanted}))
        while True:  # notifications (presence of others) may come in between
            reply = json.loads(await self.ws.recv())
            if reply.get("id") == wanted:
                return reply


async def closed_loop(clients, seconds: float, make, pause: float, counts: dict):
    """Every client sends `make(client)` and waits for its reply, again and again, for `seconds`."""
    deadline = time.monotonic() + seconds

    async def run(client):
        while time.monotonic() < deadline:
            started = time.monotonic()
            reply = await client.request(make(client))
            outcome = reply.get("code") if reply.get("type") == "error" else reply.get("type")
            counts[outcome] = counts.get(outcome, 0) + 1
            if pause:
                await asyncio.sleep(max(0.0, pause - (time.monotonic() - started)))

    await asyncio.gather(*(run(c) for c in clients))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def measure(port: int, application_id: str, people: list[tuple[str, str, str, list[str]]], args,
                  server_pid: int) -> dict:
    clients = [Client(f"ws://127.0.0.1:{port}/mind/{application_id}/{cid}/session?access_token={token}", me, peers)
               for cid, me, token, peers in people]
    for start in range(0, len(clients), 50):  # connect in batches, as a room fills up
        await asyncio.gather(*(c.connect() for c in clients[start:start + 50]))
    await asyncio.sleep(2)  # the presence notifications of everyone joining settle

    pings: dict = {}
    await closed_loop(clients, args.window / 3, lambda c: {"type": "ping"}, 0.0, pings)
    ping_rate = pings.get("pong", 0) / (args.window / 3)

    # Warm-up, then the steady window; a small margin over the interval so the slot has expired.
    pause = args.interval + 0.02
    await closed_loop(clients, 3, lambda c: {"type": "qosSample", "sample": sample(c.peers)}, pause, {})
    counts: dict = {}
    started, cpu_before = time.monotonic(), cpu_seconds(server_pid)
    await closed_loop(clients, args.window, lambda c: {"type": "qosSample", "sample": sample(c.peers)}, pause, counts)
    elapsed, server_cpu = time.monotonic() - started, cpu_seconds(server_pid) - cpu_before
    for client in clients:
        await client.ws.close()
    return {"accepted": counts.get("qosAccepted", 0) / elapsed, "refused": {k: v for k, v in counts.items()
                                                                            if k != "qosAccepted"},
            "offered": len(clients) / pause, "ping": ping_rate, "server_cpu": server_cpu / elapsed,
            "cpu_per_sample": server_cpu / max(1, counts.get("qosAccepted", 0))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--interval", type=int, default=1, help="the server's QOS_MIN_SAMPLE_INTERVAL (s)")
    parser.add_argument("--window", type=float, default=15.0, help="seconds of steady load to measure")
    parser.add_argument("--conn-max-age", default="", help="DB_CONN_MAX_AGE for the server (default: the product's)")
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
    from qos.models import QosSample
    from tests.mind.media_peer import start_daphne, stop_process

    actor = services.application_actor()
    people = []
    for first in range(0, args.participants, PER_CONFERENCE):
        conference = services.create_conference(actor, {"name": f"qos bench {first}"})
        members = [services.create_participant(actor, conference.id, {"name": f"p{i}", "role": "speaker"})
                   for i in range(first, min(first + PER_CONFERENCE, args.participants))]
        ids = [str(p.id) for p, _ in members]
        people += [(str(conference.id), str(p.id), token, [i for i in ids if i != str(p.id)]) for p, token in members]

    extra = {"DB_CONN_MAX_AGE": args.conn_max_age} if args.conn_max_age else {}
    proc, port = start_daphne(Path(tempfile.mkdtemp(prefix="bench-qos-")), QOS_MIN_SAMPLE_INTERVAL=str(args.interval),
                              QOS_SERVER_VIEW_SECONDS="0", **extra)
    try:
        before = QosSample.objects.count()
        result = asyncio.run(measure(port, mind_conftest.APPLICATION_ID, people, args, proc.pid))
        stored = QosSample.objects.count() - before
    finally:
        stop_process(proc)
        for conference_id in {p[0] for p in people}:
            services.delete_conference(actor, conference_id)
    rows = 2 + 2 * (PER_CONFERENCE - 1)
    print(f"participants (sockets)   {args.participants} in conferences of {PER_CONFERENCE}; {rows} rows per sample; "
          f"DB_CONN_MAX_AGE={args.conn_max_age or 'product default'}")
    print(f"offered load             {result['offered']:8.1f} samples/s")
    print(f"accepted (sustained)     {result['accepted']:8.1f} samples/s  = {result['accepted'] * rows:8.0f} rows/s")
    print(f"ratio to 200 samples/s   {result['accepted'] / TARGET:8.2f}x   (1,000 participants every 5 s; target >= 5x)")
    print(f"baseline: ping           {result['ping']:8.1f} round trips/s on the same sockets; "
          f"ingest = {result['accepted'] / result['ping']:.2f}x of it")
    print(f"web process CPU          {result['server_cpu'] * 100:8.1f} % of a core; {result['cpu_per_sample'] * 1000:.2f} ms per sample "
          f"(one core: about {1 / result['cpu_per_sample']:.0f} samples/s); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    print(f"refusals                 {result['refused'] or 'none'}; rows stored in the run: {stored}")
    if result["accepted"] >= 0.97 * result["offered"]:
        print("note: the server kept up with all the offered load; the capacity is at least this (raise --participants)")


if __name__ == "__main__":
    main()
