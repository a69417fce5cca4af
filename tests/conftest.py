"""Fixtures shared by the whole suite.

The services (PostgreSQL, Redis, Janus) are started by `bin/dev test` inside a private network
namespace; the fixtures here start the project's own processes (a Celery worker, Redis copies for
failure tests) against them. Nothing is mocked.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RateLimitClock:
    """The wall clock django-ratelimit's fixed windows are counted in, held still during a test (see the
    `ratelimit_clock_held` fixture) and moved on only by the time a test spends waiting."""

    now = time.time()

    @classmethod
    def time(cls) -> float:
        return cls.now


def wait_until(predicate, timeout=30.0, interval=0.1, message="condition"):
    """Polls predicate until it holds. The rate-limit clock moves with the time spent here, so a test that
    polls /v2 for a while is counted like a client polling at this pace, not like one burst."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            if predicate():
                return
        except Exception:
            pass
        time.sleep(interval)
        RateLimitClock.now += time.monotonic() - started
    raise AssertionError(f"timed out waiting for {message}")


def daphne_command(port: int) -> list[str]:
    """Daphne serving the whole product on a loopback port, as a child process runs it."""
    return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]


@contextlib.contextmanager
def child_process(command: list[str], env: dict, log: Path, ready, message: str):
    """A project process (`command`, output in `log`), yielded once `ready()` holds; stopped after
    (SIGTERM, then SIGKILL if it is still there 10 s later)."""
    with open(log, "w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(ready, timeout=60, message=message)
        yield proc
    finally:
        from tests.mind.media_peer import stop_process

        stop_process(proc)


def process_env(**extra) -> dict:
    """Environment for a child process of the project, pointed at the test database."""
    env = dict(os.environ)
    db = settings.DATABASES["default"]
    env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env.update(extra)
    return env


def _flush_retried_on_deadlock():
    """Transactional tests end with a TRUNCATE of every table. The session's real Celery worker may still
    be finishing a task an earlier test queued (a recording collection, a webhook); PostgreSQL then breaks
    the lock cycle by failing one side, sometimes the TRUNCATE. The worker's task is retried by Celery;
    the flush is retried here."""
    from django.core.management.base import CommandError
    from django.db import OperationalError
    from django.test import TransactionTestCase

    teardown = TransactionTestCase._fixture_teardown
    if getattr(teardown, "retried_on_deadlock", False):
        return

    def fixture_teardown(self):
        for attempt in range(5):
            try:
                return teardown(self)
            except CommandError as error:
                if attempt == 4 or not isinstance(error.__cause__, OperationalError):
                    raise
                time.sleep(0.2 * (attempt + 1))

    fixture_teardown.retried_on_deadlock = True
    TransactionTestCase._fixture_teardown = fixture_teardown


_flush_retried_on_deadlock()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory):
    """A real Celery worker process on the real broker, using the test database."""
    from config.celery import app

    log = tmp_path_factory.mktemp("celery") / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-l", "info",
               "-n", f"test-{os.getpid()}@%h"]
    with child_process(command, process_env(), log, lambda: app.control.ping(timeout=0.5),
                       "the Celery worker") as proc:
        yield proc


class RedisServer:
    """A throwaway redis-server on its own port, which a test may stop and start again."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

        def answers():
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")

        wait_until(answers, message=f"redis on {self.port}")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


# Fixtures shared across folders live in plugins, not in test modules or another folder's conftest.py.
pytest_plugins = ["tests.support.meetings", "tests.support.recordings", "tests.support.browser",
                  "tests.support.mind_server"]


# --- /v2 API clients ---------------------------------------------------------------------------

from rest_framework.test import APIClient  # noqa: E402

from tests.openapi import validate_response  # noqa: E402


class ZoomAPIClient(APIClient):
    """A DRF test client that checks every /v2 response against the OpenAPI contract."""

    def request(self, **request):
        response = super().request(**request)
        path = request.get("PATH_INFO", "")
        if path.startswith("/v2/") and not path.startswith("/v2/openapi"):
            validate_response(request["REQUEST_METHOD"], path, response.status_code, response.content,
                              response.get("Content-Type", ""))
        return response


def issue_token(user, scope: str, application=None, expires_in: int = 3600):
    """An OAuth access token for `user`, as our authorization server would issue it."""
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, get_application_model, set_token_value

    Application = get_application_model()
    if application is None:
        application = Application.objects.create(
            name=f"test app for {user.email}", user=user,
            client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        )
    import secrets

    raw = secrets.token_urlsafe(32)
    token = get_access_token_model()(
        user=user, application=application, scope=scope, expires=timezone.now() + timedelta(seconds=expires_in),
    )
    set_token_value(token, raw)  # stored hashed at rest, like the tokens our server issues
    token.save()
    return raw


@pytest.fixture
def make_user(db):
    from accounts.models import User

    counter = iter(range(1, 10**6))

    def make(email=None, account=None, **extra):
        n = next(counter)
        email = email or f"user{n}@example.com"
        if account is not None:
            extra["account"] = account
        return User.objects.create_user(email=email, password="a-long-test-password", **extra)

    return make


@pytest.fixture
def api_client(db):
    """`api_client(user, "meeting:read meeting:write")` -> a client sending that user's bearer token."""

    def make(user=None, scope: str = ""):
        client = ZoomAPIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, scope)}")
        return client

    return make

# --- the media tier ------------------------------------------------------------------------------
#
# Tests that need Janus, ffmpeg, SIPp, a browser or node are marked `media` (by folder, by the
# fixtures below, or with `pytestmark = pytest.mark.media`): `pytest -m "not media"` runs the rest
# with just PostgreSQL and Redis. `bin/dev test` runs everything.

MEDIA_FIXTURES = {"media_server", "streamer", "transcriber", "restart_janus", "dial_in_server", "dialling", "web_server",
                  "sip_process", "second_janus"}
MEDIA_FOLDERS = ("e2e", "js")


def pytest_collection_modifyitems(config, items):
    for item in items:
        folder = Path(str(item.fspath)).relative_to(ROOT / "tests").parts[0]
        if folder in MEDIA_FOLDERS or MEDIA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.media)


@pytest.fixture(scope="module")
def media_server(django_db_setup, tmp_path_factory):
    """The project's Daphne with the embedded engine, for WebSocket media sessions (tests/mind/media_peer.py)."""
    from tests.mind.media_peer import MediaServer, start_daphne, stop_process
    from tests.support.mind_server import APPLICATION_ID

    proc, port = start_daphne(tmp_path_factory.mktemp("daphne"))
    try:
        yield MediaServer(port, APPLICATION_ID)
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def streamer(django_db_setup, tmp_path_factory):
    """The streamer process (`manage.py mind_streamer`) on the test database, for one module (so
    it never pushes the streamings other tests create to unreachable URLs)."""
    from tests.mind.media_peer import stop_process
    from tests.mind.streaming_helpers import STREAM_FPS, STREAM_SIZE

    folder = tmp_path_factory.mktemp("streamer")
    env = process_env(MIND_STREAMING_SIZE="x".join(map(str, STREAM_SIZE)), MIND_STREAMING_FPS=str(STREAM_FPS),
                      MIND_STREAMING_VIDEO_KBPS="800", MIND_STREAMING_PRESET="ultrafast",
                      MIND_STREAMING_DIR=str(folder / "work"))
    log = open(folder / "streamer.log", "w")
    proc = subprocess.Popen([sys.executable, "manage.py", "mind_streamer"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = folder / "streamer.log"
    try:
        yield proc
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def sip_process(django_db_setup, tmp_path_factory):
    """The sip process (`manage.py mind_sip`, dial-in off) holding every SIP call for one module;
    dial-out, forward and hang-up of the Mind API reach it over Redis (tests/support/sip_process.py)."""
    from tests.support.sip_process import SipProcess

    process = SipProcess(tmp_path_factory.mktemp("sip"), SIP_DIAL_IN="off")
    process.start()
    try:
        yield process
    finally:
        process.stop()


class TranscriberProcess:
    """The live transcriber (`manage.py mind_transcriber`) on the test database; a test may
    restart it (`restart()`, or `kill()` then `start()`)."""

    def __init__(self, folder: Path, **env: str):
        self.folder = folder
        self.log_path = folder / "transcriber.log"
        self.env = env  # extra environment (e.g. JANUS_SERVERS)
        self.proc = None

    def start(self) -> None:
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen([sys.executable, "manage.py", "mind_transcriber"], cwd=ROOT,
                                     env=process_env(**self.env), stdout=log, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        from tests.mind.media_peer import stop_process

        stop_process(self.proc)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def transcriber(django_db_setup, tmp_path_factory):
    """The live transcriber process for one module (it transcribes every conference whose
    transcription is started or whose recording runs), with interim captions turned on (they are
    off by default) so the tests see them too."""
    process = TranscriberProcess(tmp_path_factory.mktemp("transcriber"), MIND_TRANSCRIBER_INTERIM_SECONDS="2")
    process.start()
    try:
        yield process
    finally:
        process.stop()


def janus_pid(config: Path) -> int | None:
    """The pid of the Janus running with our config (started by `bin/dev test`, or by us)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"janus") and str(config).encode() in argv:
            return int(entry.name)
    return None


def janus_answers() -> bool:
    from mind.engine.janus import Janus, JanusError

    try:
        return Janus().info()["janus"] == "server_info"
    except JanusError:
        return False


class JanusKeeper:
    """The session's Janus (started by `bin/dev test`): restarted on purpose by `restart_janus`, and
    brought back by `janus_watchdog` when it crashed on its own, as supervisord does in production
    (Janus 1.1 has crashed a few times under load in the suite: a segfault in
    janus_plugin_session_is_alive, in its request threads). The Janus processes started here are
    stopped at the session's end."""

    def __init__(self, tmp_path_factory):
        self.folder = Path(os.environ["VAR_DIR"]) / "janus"
        self.config = self.folder / "janus.jcfg"
        self.tmp_path_factory = tmp_path_factory
        self.started: list[subprocess.Popen] = []
        self.last_pid: int | None = None

    def pid(self) -> int | None:
        for proc in self.started:
            proc.poll()  # reap our own children: a dead one is then gone from /proc
        if self.last_pid is not None:  # the cheap check first: it runs before every test
            try:
                if str(self.config).encode() in Path(f"/proc/{self.last_pid}/cmdline").read_bytes().split(b"\0"):
                    return self.last_pid
            except OSError:
                pass
        self.last_pid = janus_pid(self.config)
        return self.last_pid

    def start(self) -> None:
        log = open(self.tmp_path_factory.mktemp("janus") / "janus.log", "w")
        self.started.append(subprocess.Popen(["janus", "-C", str(self.config), "-F", str(self.folder)],
                                             stdout=log, stderr=subprocess.STDOUT))
        wait_until(janus_answers, timeout=30, message="Janus to come back")

    def restart(self) -> None:
        pid = self.pid()
        assert pid is not None, "no Janus running with the test configuration"
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{pid}").exists() and self.pid() == pid and time.monotonic() < deadline:
            time.sleep(0.05)
        self.start()

    def stop(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(15)


@pytest.fixture(scope="session")
def janus_keeper(tmp_path_factory):
    keeper = JanusKeeper(tmp_path_factory)
    yield keeper
    keeper.stop()


@pytest.fixture(scope="session")
def restart_janus(janus_keeper):
    """restart_janus(): kills the test Janus (as a crash would) and starts it again.

    The new Janus keeps running for the tests after this one and is stopped at the session's end.
    """
    return janus_keeper.restart


@pytest.fixture(autouse=True)
def janus_watchdog(request):
    """Before each test: if the session's Janus died (a crash of Janus itself, not a test's
    doing: those restart it), start it again and say so, so one crash fails at most the test it
    happened in instead of every media test after it."""
    if "VAR_DIR" not in os.environ:
        return
    keeper = request.getfixturevalue("janus_keeper")
    if keeper.pid() is None:
        import warnings

        warnings.warn(f"Janus was not running before {request.node.nodeid}: it crashed; started again", stacklevel=1)
        keeper.start()


class SecondJanus:
    """A second Janus server in the test namespace (a pool of two with the one `bin/dev test`
    starts): its own ports and RTP range, the same secrets. `kill()` as a crash would, `start()`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ports = {"JANUS_HTTP_PORT": free_port(), "JANUS_ADMIN_PORT": free_port(), "JANUS_WS_PORT": free_port()}
        # Apart from the first Janus (20000-40000, SIP 40001-41000) and coturn (45000-45999).
        env = {**os.environ, **{k: str(v) for k, v in self.ports.items()},
               "JANUS_RTP_PORT_RANGE": "46000-49999", "JANUS_SIP_RTP_PORT_RANGE": "50000-50999"}
        subprocess.run([sys.executable, str(ROOT / "config/janus/render.py"), str(folder)], env=env, check=True)
        self.proc = None

    def entry(self, name: str) -> dict:
        """This server as a JANUS_SERVERS entry."""
        return {"name": name, "ws_url": f"ws://127.0.0.1:{self.ports['JANUS_WS_PORT']}/",
                "url": f"http://127.0.0.1:{self.ports['JANUS_HTTP_PORT']}/janus",
                "admin_url": f"http://127.0.0.1:{self.ports['JANUS_ADMIN_PORT']}/admin"}

    def answers(self) -> bool:
        from mind.engine.janus import Janus, JanusError

        try:
            return Janus(url=self.entry("x")["url"]).info()["janus"] == "server_info"
        except JanusError:
            return False

    def start(self) -> None:
        log = open(self.folder / "janus.log", "a")
        self.proc = subprocess.Popen(["janus", "-C", str(self.folder / "janus.jcfg"), "-F", str(self.folder)],
                                     stdout=log, stderr=subprocess.STDOUT)
        wait_until(self.answers, timeout=30, message="the second Janus")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture(scope="session")
def second_janus(tmp_path_factory):
    """A second Janus, started on demand (only the pool tests pay for it) and stopped at the end."""
    janus = SecondJanus(tmp_path_factory.mktemp("janus2"))
    janus.start()
    yield janus
    if janus.proc is not None and janus.proc.poll() is None:
        janus.proc.terminate()
        janus.proc.wait(15)


@pytest.fixture
def other_workers_paused(settings):
    """Celery workers already running (the session's `celery_worker`) stop taking tasks from the queue
    for this test (Celery's own cancel_consumer / add_consumer control commands), so a test that
    drives collection itself, or with settings a running worker does not share, is not raced."""
    from config.celery import app

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    names = [name for reply in (app.control.ping(timeout=0.5) or []) for name in reply]
    if names:
        app.control.cancel_consumer(queue, destination=names, reply=True, timeout=5)
    yield names
    if names:
        app.control.add_consumer(queue, destination=names, reply=True, timeout=5)


@pytest.fixture(autouse=True)
def ratelimit_clock_held(monkeypatch):
    """django-ratelimit counts in fixed windows aligned to the wall clock: a window could end between two
    requests of a test and reset its count. Hold that clock for the test; only wait_until moves it (a test
    may also move it itself)."""
    from django_ratelimit import core as ratelimit_core

    RateLimitClock.now = time.time()
    monkeypatch.setattr(ratelimit_core, "time", RateLimitClock)


# --- e-mail: a local SMTP server (web pages issue: invitations, reminders, cancellations) ---------

class SmtpInbox:
    """What a local aiosmtpd server received: (envelope sender, recipients, parsed message) each."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        from email import message_from_bytes, policy

        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              message_from_bytes(envelope.original_content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on loopback (aiosmtpd) and Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def celery_in_process():
    """Celery tasks queued by the code under test run in this process, at once (Celery's own
    task_always_eager mode), so a task's e-mail reaches this test's `smtp_inbox`; the task code is
    the real one. Errors propagate (task_eager_propagates)."""
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = before
