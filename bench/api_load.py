"""Benchmark: the /v2 meetings API under HTTP load, against a bare reference view, in one run.

    bin/dev bench bench/api_load.py [--duration 4] [--rounds 3] [--connections 1,16,64,256] [--web-processes 2] [--web-threads 8]

Starts the web process as `bin/dev run` does (migrate, then Daphne serving config.asgi) with
bench/bench_settings.py (the product's settings plus the reference view; /v2 rate limits raised);
`--web-processes N` (N > 1) starts N Daphne processes on one socket the way `bin/dev run` starts
WEB_CONCURRENCY of them (supervisord's fcgi-program); `--web-threads N` sets each one's WEB_THREADS
(HTTP requests run at once, config/http_threads.py). It makes a host with 60 scheduled meetings and an OAuth token, then drives it with wrk (the Debian
package, a C load generator: the bottleneck is the server, not the client) for each endpoint and
number of connections:

  list    GET  /v2/users/me/meetings?page_size=30
  get     GET  /v2/meetings/{id}
  create  POST /v2/users/me/meetings (as a second host, so the list's host does not grow)
  bare    GET  /bench/bare-meetings (one equivalent SQL query + json.dumps, same stack)

and prints requests/s, p50, p99, errors (socket errors and non-2xx answers), and each endpoint's
throughput as a ratio to the bare view at the same number of connections. The machine is shared, so
absolute figures are noisy; the ratios are measured side by side: each endpoint is measured
`--rounds` times, the endpoints taking turns, and its figures are the rounds' mean requests/s and
median p50 and p99.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
PORT = int(os.environ.get("BENCH_WEB_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"


def prepare() -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import secrets
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, get_application_model, set_token_value

    from accounts.models import User
    from meetings.actions import schedule

    def token_for(user) -> str:
        Application = get_application_model()
        app = Application.objects.create(name=f"bench {user.email}", user=user,
                                         client_type=Application.CLIENT_CONFIDENTIAL,
                                         authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS)
        raw = secrets.token_urlsafe(32)
        token = get_access_token_model()(user=user, application=app, scope="meeting:read meeting:write",
                                         expires=timezone.now() + timedelta(hours=2))
        set_token_value(token, raw)
        token.save()
        return raw

    stamp = time.time_ns()
    host = User.objects.create_user(email=f"bench-list-{stamp}@example.com", password="a-long-bench-password")
    creator = User.objects.create_user(email=f"bench-create-{stamp}@example.com", password="a-long-bench-password")
    start = timezone.now() + timedelta(days=1)
    meeting_ids = []
    for n in range(60):
        meeting = schedule.create_meeting(host, {"topic": f"Bench meeting {n}", "type": 2, "duration": 30,
                                                 "start_time": start + timedelta(hours=n), "agenda": "Load test " * 20},
                                          source="bench")
        meeting_ids.append(meeting.pk)
    return {"host_pk": host.pk, "list_token": token_for(host), "create_token": token_for(creator),
            "meeting_id": meeting_ids[len(meeting_ids) // 2]}


def start_web(processes: int = 1) -> subprocess.Popen:
    """One Daphne process on PORT, or `processes` of them sharing PORT's socket the way `bin/dev run`
    starts WEB_CONCURRENCY web processes (supervisord's fcgi-program holds the socket, each Daphne
    serves it as fd 0; the kernel hands each connection to one of them). Its process group is ours."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.bench_settings", "SIP_DIAL_IN": "off"}
    var = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    log = open(var / "log" / "bench-web.log", "ab")
    daphne = Path(sys.executable).parent / "daphne"
    if processes == 1:
        command = [str(daphne), "-b", "127.0.0.1", "-p", str(PORT), "config.asgi:application"]
    else:
        run = var / "run"
        run.mkdir(parents=True, exist_ok=True)
        conf = run / "bench-supervisord.conf"
        conf.write_text(f"""[supervisord]
nodaemon=true
logfile={var / "log" / "bench-supervisord.log"}
pidfile={run / "bench-supervisord.pid"}
childlogdir={var / "log"}
[fcgi-program:web]
socket=tcp://127.0.0.1:{PORT}
process_name=%(program_name)s_%(process_num)02d
numprocs={processes}
command={daphne} --fd 0 config.asgi:application
directory={ROOT}
autorestart=true
stopsignal=TERM
stopwaitsecs=10
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
""")
        command = [str(Path(sys.executable).parent / "supervisord"), "-c", str(conf)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=2)
            break
        except urllib.error.HTTPError:  # an answer (503: no Celery worker in the bench) means it is up
            break
        except OSError:
            if process.poll() is not None:
                raise SystemExit("the web process exited; see var/test/log/bench-web.log") from None
            time.sleep(0.5)
    else:
        raise SystemExit("the web process did not answer /healthz")
    # With several processes, the first answered; the others started at the same time and are up
    # by the end of the warm-up runs (8 s) that precede the measurements.
    return process


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS[unit]


def run_wrk(url: str, connections: int, duration: int, token: str | None, body: dict | None) -> dict:
    script = None
    args = ["wrk", "--latency", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s",
            # A request not answered within the measurement counts as an error (wrk: socket timeout).
            "--timeout", f"{max(2, duration - 1)}s"]
    if token:
        args += ["-H", f"Authorization: Bearer {token}"]
    # Non-2xx answers are counted by wrk ("Non-2xx or 3xx responses"); a Lua hook makes 3xx count too.
    lua = ["local errors = 0", "function response(status) if status >= 300 then errors = errors + 1 end end"]
    if body is not None:
        lua = ['wrk.method = "POST"', f"wrk.body = [[{json.dumps(body)}]]",
               'wrk.headers["Content-Type"] = "application/json"', *lua]
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write("\n".join(lua) + "\n")
    script.close()
    args += ["-s", script.name, url]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "p50": ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
              "p99": ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)), "errors": 0}
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        result["errors"] += sum(int(n) for n in socket.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        result["errors"] += int(non2xx.group(1))
    return result


def combined(rounds: list[dict]) -> dict:
    """One endpoint's rounds: the mean throughput, the median p50 and p99, all the errors."""
    return {"rps": statistics.fmean(r["rps"] for r in rounds), "p50": statistics.median(r["p50"] for r in rounds),
            "p99": statistics.median(r["p99"] for r in rounds), "errors": sum(r["errors"] for r in rounds)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=4, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per endpoint, taking turns")
    parser.add_argument("--connections", default="1,16,64,256")
    parser.add_argument("--web-processes", type=int, default=1,
                        help="web processes sharing the port under supervisord, as WEB_CONCURRENCY in bin/dev run")
    parser.add_argument("--web-threads", type=int, help="WEB_THREADS of each web process (default: the setting's)")
    parser.add_argument("--endpoints", default="bare,list,get,create", help="which to measure (bare always)")
    parser.add_argument("--show-rounds", action="store_true", help="print each round's requests/s too")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: bin/dev install puts the Debian package in")
    if args.web_threads:
        os.environ["WEB_THREADS"] = str(args.web_threads)
    data = prepare()
    web = start_web(args.web_processes)
    from django.conf import settings

    print(f"{args.web_processes} web process(es) of {settings.WEB_THREADS} HTTP threads; "
          f"load average {os.getloadavg()[0]:.2f} at the start", flush=True)
    endpoints = {
        "bare": (f"{BASE}/bench/bare-meetings?host={data['host_pk']}", None, None),
        "list": (f"{BASE}/v2/users/me/meetings?page_size=30", data["list_token"], None),
        "get": (f"{BASE}/v2/meetings/{data['meeting_id']}", data["list_token"], None),
        "create": (f"{BASE}/v2/users/me/meetings", data["create_token"],
                   {"topic": "Bench create", "type": 2, "duration": 30, "start_time": "2030-01-01T10:00:00Z"}),
    }
    wanted = {"bare", *args.endpoints.split(",")}
    endpoints = {name: endpoint for name, endpoint in endpoints.items() if name in wanted}
    try:
        for url, token, body in endpoints.values():  # warm up: imports, first connections
            run_wrk(url, 4, 2, token, body)
        print(f"{'endpoint':8} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs bare':>8}")
        for connections in [int(c) for c in args.connections.split(",")]:
            # Rounds, the endpoints taking turns in each: a neighbour's load on this shared machine
            # falls on all of them alike instead of on whichever was measured at that moment.
            rounds: dict[str, list[dict]] = {name: [] for name in endpoints}
            for _ in range(args.rounds):
                for name, (url, token, body) in endpoints.items():
                    rounds[name].append(run_wrk(url, connections, args.duration, token, body))
            results = {name: combined(measured) for name, measured in rounds.items()}
            if args.show_rounds:
                for name, measured in rounds.items():
                    print(f"  {name:6} {connections:5d} rounds: " + " ".join(f"{r['rps']:.0f}" for r in measured))
            for name, r in results.items():
                ratio = r["rps"] / results["bare"]["rps"] if results["bare"]["rps"] else 0.0
                print(f"{name:8} {connections:5d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} "
                      f"{r['errors']:7d} {ratio:8.2f}", flush=True)
    finally:
        stop_web(web)


def stop_web(web: subprocess.Popen) -> None:
    """Stops the web process(es). supervisord puts each Daphne in a process group of its own, and a
    Daphne stopped mid-request may hang on exit, so its children are found first and killed last."""
    children = [int(pid) for pid in subprocess.run(["pgrep", "-P", str(web.pid)], capture_output=True,
                                                   text=True).stdout.split()]
    os.killpg(web.pid, signal.SIGTERM)
    try:
        web.wait(timeout=30)  # supervisord's stopwaitsecs (10) and then its own exit
    except subprocess.TimeoutExpired:  # still draining queued requests
        os.killpg(web.pid, signal.SIGKILL)
        web.wait()
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # already gone, as it should be
            pass


if __name__ == "__main__":
    main()
