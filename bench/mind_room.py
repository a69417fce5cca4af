"""Benchmark: one conference room filled with N headless publishers/subscribers (aiortc).

For each room size it prints
  * join time: from a participant's publish offer to the first decoded video frame of each other
    participant it receives (median and worst), and
  * Janus CPU per forwarded stream: Janus's CPU time (utime+stime from /proc) over a steady window,
    divided by the window and by the streams Janus forwards (N*(N-1) audio + N*(N-1) video),
measured against the smallest size in the same run (the baseline).

Run it inside the test network namespace (media must not touch the real interface):

    bin/dev bench bench/mind_room.py [--sizes 2,6] [--window 10]

It uses the `confer` database of that throwaway namespace (migrated here), a real Daphne and the
namespace's Janus. The aiortc peers run in this process, so on a small machine they, not Janus,
bound the room size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def janus_pid() -> int:
    config = str(Path(os.environ["VAR_DIR"]) / "janus" / "janus.jcfg").encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argv[0].endswith(b"janus") and config in argv:
                return int(entry.name)
    sys.exit("no Janus with the test configuration is running (use `bin/dev bench`)")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def run_room(server, size: int, window: float, pid: int) -> dict:
    from asgiref.sync import sync_to_async

    from mind import services
    from tests.mind.media_peer import MindPeer

    actor = services.application_actor()

    def setup():
        conference = services.create_conference(actor, {"name": f"bench {size}"})
        people = [services.create_participant(actor, conference.id, {"name": f"p{i}", "role": "speaker"})
                  for i in range(size)]
        return conference, [(str(p.id), token) for p, token in people]

    conference, people = await sync_to_async(setup)()
    peers = []
    try:
        for _, token in people:
            peers.append(await MindPeer.join(server.session_url(str(conference.id), token)))
        # Everyone publishes at once, as a room filling up would.
        await asyncio.gather(*(peer.publish() for peer in peers))
        ids = [pid_ for pid_, _ in people]

        def complete():
            return all(
                (v := peer.received_from(other, "video")) is not None and v.frames > 0
                for peer, me in zip(peers, ids, strict=True) for other in ids if other != me
            )

        await peers[0].wait_until(complete, timeout=120, what="every participant receiving everyone")
        joins = [peer.received_from(other, "video").first_frame_at - peer.publish_started_at
                 for peer, me in zip(peers, ids, strict=True) for other in ids if other != me]
        await asyncio.sleep(2)  # past the start-up burst (keyframes, bandwidth probing)
        before, started = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(window)
        cpu, elapsed = cpu_seconds(pid) - before, time.monotonic() - started
        streams = 2 * size * (size - 1)
        return {"size": size, "streams": streams, "join_median": statistics.median(joins), "join_max": max(joins),
                "janus_cpu": cpu / elapsed, "cpu_per_stream": cpu / elapsed / streams}
    finally:
        for peer in peers:
            await peer.leave()
        await sync_to_async(services.delete_conference)(actor, conference.id)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,6", help="room sizes; the first one is the baseline")
    parser.add_argument("--window", type=float, default=10.0, help="seconds of steady state to measure CPU over")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    import logging

    import django

    logging.disable(logging.WARNING)
    from tests.mind import conftest as mind_conftest

    os.environ["MIND_APPLICATION_ID"] = mind_conftest.APPLICATION_ID
    os.environ["MIND_APPLICATION_TOKEN"] = mind_conftest.APPLICATION_TOKEN
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import tempfile

    from tests.mind.media_peer import MediaServer, start_daphne, stop_process

    proc, port = start_daphne(Path(tempfile.mkdtemp(prefix="bench-daphne-")))
    pid = janus_pid()
    try:
        results = [asyncio.run(run_room(MediaServer(port, mind_conftest.APPLICATION_ID), n, args.window, pid))
                   for n in sizes]
    finally:
        stop_process(proc)
    base = results[0]
    print(f"{'N':>3} {'streams':>8} {'join median':>12} {'join max':>9} {'Janus CPU':>10} {'CPU/stream':>11} {'vs N=' + str(base['size']):>8}")
    for r in results:
        print(f"{r['size']:>3} {r['streams']:>8} {r['join_median'] * 1000:>10.0f}ms {r['join_max'] * 1000:>7.0f}ms "
              f"{r['janus_cpu'] * 100:>9.1f}% {r['cpu_per_stream'] * 1000:>8.2f}ms/s "
              f"{r['cpu_per_stream'] / base['cpu_per_stream']:>7.2f}x")
    print("Janus CPU: % of one core over the window; CPU/stream: Janus CPU ms per second per forwarded stream.")


if __name__ == "__main__":
    main()
