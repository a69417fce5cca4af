"""Profile: where one /v2 request's time goes, in process (cProfile around Django's test client).

    bin/dev bench bench/api_profile.py [--requests 300] [--endpoint list,get,bare,healthz] [--top 40]

Uses bench/api_load.py's data (a host with 60 meetings, a token) and bench/bench_settings.py, runs
the endpoint's request N times through the whole middleware and DRF stack (no ASGI server, no
network), and prints the functions with the most cumulative and own time. A tool for finding the
per-request and per-row cost; the throughput figures come from bench/api_load.py.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"

from bench.api_load import prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--endpoint", default="list")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    data = prepare()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {data['list_token']}"}
    urls = {"list": ("/v2/users/me/meetings?page_size=30", auth),
            "get": (f"/v2/meetings/{data['meeting_id']}", auth),
            "bare": (f"/bench/bare-meetings?host={data['host_pk']}", {}),
            "healthz": ("/healthz", {})}
    for endpoint in args.endpoint.split(","):
        profile_one(client, endpoint, *urls[endpoint], args.requests, args.top)


def profile_one(client, endpoint: str, url: str, headers: dict, requests: int, top: int) -> None:
    for _ in range(20):  # warm up
        response = client.get(url, **headers)
    print(endpoint, response.status_code, len(response.content), "bytes")
    started = time.perf_counter()
    for _ in range(requests):
        client.get(url, **headers)
    print(f"{endpoint}: {requests} requests, {1000 * (time.perf_counter() - started) / requests:.2f} ms each (unprofiled)")
    if top == 0:
        return
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(requests):
        client.get(url, **headers)
    profile.disable()
    elapsed = time.perf_counter() - started
    print(f"{requests} requests, {1000 * elapsed / requests:.2f} ms each (profiled)")
    stats = pstats.Stats(profile).sort_stats("cumulative")
    stats.print_stats(top)
    stats.print_stats(r"wt-fidelity/(meetings|accounts|config)/", top)
    stats.sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
