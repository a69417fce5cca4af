"""Profile: where one /v2 request's time goes, in process (cProfile around Django's test client).

    bin/dev bench bench/api_profile.py [--requests 300] [--endpoint list,get,create,bare,healthz,mind-conference,mind-participants,join] [--top 40]

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
    from tests.mind import conftest as mind_conftest

    os.environ["MIND_APPLICATION_ID"] = mind_conftest.APPLICATION_ID
    os.environ["MIND_APPLICATION_TOKEN"] = mind_conftest.APPLICATION_TOKEN
    data = prepare()
    from django.test import Client

    from mind import services

    actor = services.application_actor()
    conference = services.create_conference(actor, {"name": "profile"})
    for n in range(20):
        services.create_participant(actor, conference.id, {"name": f"p{n}"})
    mind = f"/mind/{mind_conftest.APPLICATION_ID}/{conference.id}"
    app_auth = {"HTTP_AUTHORIZATION": f"Bearer {mind_conftest.APPLICATION_TOKEN}"}

    client = Client(HTTP_HOST="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {data['list_token']}"}
    urls = {"list": ("/v2/users/me/meetings?page_size=30", auth),
            "get": (f"/v2/meetings/{data['meeting_id']}", auth),
            "bare": (f"/bench/bare-meetings?host={data['host_pk']}", {}),
            "healthz": ("/healthz", {}),
            "mind-conference": (mind, app_auth),
            "mind-participants": (f"{mind}/participants", app_auth)}
    from meetings.actions.links import encrypted_password
    from meetings.models import Meeting

    meeting = Meeting.objects.get(pk=data["meeting_id"])
    join_body = {"name": "Guest", "pwd": encrypted_password(meeting)}
    creator_auth = {"HTTP_AUTHORIZATION": f"Bearer {data['create_token']}"}
    create_body = {"topic": "Bench create", "type": 2, "duration": 30, "start_time": "2030-01-01T10:00:00Z"}
    for endpoint in args.endpoint.split(","):
        if endpoint == "create":  # POST /v2/users/me/meetings as the second host (the listed host does not grow)
            def create_once():
                return client.post("/v2/users/me/meetings", create_body, content_type="application/json", **creator_auth)

            profile_calls(endpoint, create_once, args.requests, args.top)
        elif endpoint == "join":  # POST /j/<id>/join: a new participant each time (the meeting waits for its host)
            def join_once(_meeting=meeting.pk):
                return client.post(f"/j/{_meeting}/join", join_body, content_type="application/json")

            profile_calls(endpoint, join_once, args.requests, args.top)
        else:
            url, headers = urls[endpoint]
            profile_calls(endpoint, lambda url=url, headers=headers: client.get(url, **headers), args.requests, args.top)


def profile_calls(endpoint: str, call, requests: int, top: int) -> None:
    for _ in range(20):  # warm up
        response = call()
    print(endpoint, response.status_code, len(response.content), "bytes")
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(requests):
        call()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # Under load the web process's threads overlap their waits on PostgreSQL and Redis; its CPU is what
    # one process cannot overlap (the GIL), so both figures count.
    print(f"{endpoint}: {requests} requests, {1000 * elapsed / requests:.2f} ms each (unprofiled), "
          f"of which {1000 * cpu / requests:.2f} ms CPU in this process")
    if top == 0:
        return
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(requests):
        call()
    profile.disable()
    elapsed = time.perf_counter() - started
    print(f"{requests} requests, {1000 * elapsed / requests:.2f} ms each (profiled)")
    stats = pstats.Stats(profile).sort_stats("cumulative")
    stats.print_stats(top)
    stats.print_stats(rf"{ROOT}/(meetings|accounts|config)/", top)
    stats.sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
