"""The real-browser test harness: the whole product on a live Daphne, and headless Chromium.

A pytest plugin (registered in tests/conftest.py), so browser tests in any folder share it;
tests/e2e/conftest.py makes `e2e_mind_application` automatic there, and other folders' browser tests
ask for it (`pytest.mark.usefixtures("e2e_mind_application")`).

Fixtures:
    web_server      Daphne serving the product (real ASGI app, test database, Redis channel layer,
                    Janus) on a loopback port; collected static files; `mind_*` helpers for the Mind
                    REST API with the application token. Tests using it need committed data:
                    mark them `pytest.mark.django_db(transaction=True)`.
    chromium        Debian's /usr/bin/chromium driven by Playwright (no browser download), with a
                    fake camera/microphone, auto-granted permissions and screen capture.
    browser_users   `browser_users.new()` -> an independent BrowserContext (its own cookies and
                    storage: one user each); `browser_users.page()` -> a new page in a new context.
                    Pages' console output is kept and printed when a test fails; screenshots of
                    every open page are saved under artifacts/screenshots/ on failure.
    screenshot      `screenshot(page, "name")` saves artifacts/screenshots/<test>-<name>.png.

Test-only pages (tests/e2e/pages/*.html) are served at `<server>/__e2e__/<file>` by Playwright's
request interception in each context, so production URLs carry nothing for tests.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, child_process, daphne_command, free_port, process_env

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--use-fake-device-for-media-stream",  # a fake camera (test pattern) and microphone (beeps)
    "--use-fake-ui-for-media-stream",  # permissions granted, real host ICE candidates (no mDNS)
    "--auto-select-desktop-capture-source=Entire screen",  # getDisplayMedia without a picker
    "--autoplay-policy=no-user-gesture-required",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Test pages come from request interception (no address space known to the browser): without
    # this, Local Network Access blocks their requests to the loopback server.
    "--disable-features=WebRtcHideLocalIpsWithMdns,LocalNetworkAccessChecks",
]
PAGES = ROOT / "tests" / "e2e" / "pages"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
APPLICATION_ID = "4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190"
APPLICATION_TOKEN = secrets.token_urlsafe(48)
GRACE_SECONDS = 10  # the server's MIND_SESSION_GRACE_SECONDS: long enough for a page reload


@pytest.fixture
def e2e_mind_application(settings):
    """In-process code (e.g. EmbeddedMind in a test) and the Daphne child share one application."""
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN
    settings.MIND_API_URL = None
    return settings


class WebServer:
    def __init__(self, port: int, log: Path):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.application_id = APPLICATION_ID
        self.application_token = APPLICATION_TOKEN

    # --- the Mind REST API as the application ---------------------------------------------------
    @property
    def mind_url(self) -> str:
        return f"{self.url}/mind/{self.application_id}"

    def conference_uri(self, conference_id: str) -> str:
        return f"{self.mind_url}/{conference_id}"

    def mind(self, method: str, path: str = "", body=None, token: str | None = None) -> requests.Response:
        url = self.mind_url + (f"/{path.strip('/')}" if path.strip("/") else "")
        headers = {"Authorization": f"Bearer {token or self.application_token}"}
        return requests.request(method, url, json=body, headers=headers, timeout=30)

    def _ok(self, response: requests.Response):
        assert response.status_code == 200, f"{response.request.method} {response.url}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def create_conference(self, **fields) -> dict:
        return self._ok(self.mind("POST", "", fields))

    def create_participant(self, conference_id: str, **fields) -> dict:
        return self._ok(self.mind("POST", f"{conference_id}/participants", fields))

    def get_participant(self, conference_id: str, participant_id: str) -> dict:
        return self._ok(self.mind("GET", f"{conference_id}/participants/{participant_id}"))

    def delete_participant(self, conference_id: str, participant_id: str) -> None:
        self._ok(self.mind("DELETE", f"{conference_id}/participants/{participant_id}"))

    def delete_conference(self, conference_id: str) -> None:
        self._ok(self.mind("DELETE", conference_id))

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@pytest.fixture(scope="session")
def web_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """Daphne serving the whole product on the test database (static files collected first)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    port = free_port()
    log = tmp_path_factory.mktemp("e2e-daphne") / "daphne.log"
    url = f"http://127.0.0.1:{port}"
    env = process_env(
        MIND_APPLICATION_ID=APPLICATION_ID, MIND_APPLICATION_TOKEN=APPLICATION_TOKEN, MIND_API_URL="",
        MIND_SESSION_GRACE_SECONDS=str(GRACE_SECONDS), ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_ROOT=url, CSRF_TRUSTED_ORIGINS=url,
    )
    server = WebServer(port, log)
    with child_process(daphne_command(port), env, log,
                       lambda: requests.get(server.mind_url, timeout=1).status_code in (401, 405),
                       "Daphne answering /mind/"):
        yield server


@pytest.fixture
def chromium(monkeypatch):
    """Headless Chromium (Debian's build, driven over CDP by Playwright), one per test.

    Playwright's sync API keeps an asyncio loop registered as running on the main thread while
    it is started, and Django then refuses ORM calls there (SynchronousOnlyOperation), though no
    coroutine of ours runs concurrently: the test body is plain synchronous code. So ORM use is
    allowed for the test's duration, and Playwright stops per test, before the database flush."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    manager = sync_playwright().start()
    browser = manager.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        manager.stop()


@pytest.fixture
def chromium_with_microphone(chromium):
    """`chromium_with_microphone(wav)` -> another Chromium whose fake microphone plays `wav` (a
    48 kHz mono WAV, looped): the flag is per browser process, so one browser per speaker."""
    launched = []

    def launch(wav: Path):
        browser = chromium.browser_type.launch(
            executable_path=CHROMIUM, headless=True,
            args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={Path(wav).resolve()}"])
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


def _serve_test_pages(route):
    name = route.request.url.split("/__e2e__/", 1)[1].split("?", 1)[0]
    path = (PAGES / name).resolve()
    if PAGES not in path.parents or not path.is_file():
        route.fulfill(status=404, body="no such test page")
        return
    content_type = "text/html; charset=utf-8" if path.suffix == ".html" else "text/javascript; charset=utf-8"
    route.fulfill(status=200, body=path.read_bytes(), headers={"Content-Type": content_type})


class BrowserUsers:
    """Independent browser contexts, one per simulated user."""

    def __init__(self, browser, server: WebServer):
        self.browser = browser
        self.server = server
        self.contexts = []
        self.console: list[str] = []

    def new(self, **options):
        context = self.browser.new_context(base_url=self.server.url, permissions=["camera", "microphone"],
                                           viewport={"width": 1280, "height": 800}, **options)
        context.route(re.compile(r".*/__e2e__/.*"), _serve_test_pages)
        number = len(self.contexts) + 1
        context.on("page", lambda page: self._watch(page, number))
        self.contexts.append(context)
        return context

    def page(self, path: str | None = None, **options):
        context = self.new(**options)
        page = context.new_page()
        if path:
            page.goto(path)
        return page

    def _watch(self, page, number: int):
        page.on("console", lambda message: self.console.append(f"[user {number}] {message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.console.append(f"[user {number}] pageerror: {error}"))

    def pages(self):
        return [page for context in self.contexts for page in context.pages]

    def close(self):
        for context in self.contexts:
            try:
                context.close()
            except Exception:  # the browser may be gone already
                pass
        self.contexts = []


def _test_slug(node) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", node.nodeid.split("::", 1)[-1])[:120]


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "after-join")` -> artifacts/screenshots/<test>-after-join.png."""
    slug = _test_slug(request.node)
    return lambda page, name: save_screenshot(page, f"{slug}-{name}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def browser_users(chromium, web_server, request):
    users = BrowserUsers(chromium, web_server)
    yield users
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        slug = _test_slug(request.node)
        for index, page in enumerate(users.pages(), 1):
            try:
                save_screenshot(page, f"{slug}-failure-{index}")
            except Exception:
                pass
        print("\n--- browser console ---\n" + "\n".join(users.console[-300:]))
        print("\n--- daphne log (tail) ---\n" + web_server.log_tail())
    users.close()


# --- the Mind SDK harness page (tests/e2e/pages/sdk.html) ------------------------------------------


class SdkUser:
    """One browser user on the SDK harness page, joined as `participant` (Mind JSON with token)."""

    def __init__(self, page, server: WebServer, conference_id: str, participant: dict):
        self.page = page
        self.server = server
        self.conference_id = conference_id
        self.participant = participant
        self.id = participant["id"]

    def open(self):
        self.page.goto("/__e2e__/sdk.html")
        self.page.wait_for_function("window.harnessReady === true", timeout=20000)
        return self

    def join(self):
        return self.call("join", self.server.conference_uri(self.conference_id), self.participant["token"])

    def call(self, method: str, *args):
        """`harness.<method>(...args)` in the page (awaited)."""
        return self.page.evaluate(f"(args) => window.harness.{method}(...args)", list(args))

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def wait_for(self, expression: str, arg=None, timeout: float = 30, message: str | None = None):
        """Polls the JS function `expression(arg)` (may be async) until it returns something truthy;
        returns that value."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.page.evaluate(expression, arg)
            if value:
                return value
            self.page.wait_for_timeout(150)
        state = self.page.evaluate("() => window.harness && window.harness.state()")
        events = self.page.evaluate("() => window.harness && window.harness.events.map(e => e.name)")
        raise AssertionError(f"timed out waiting for {message or expression} (last: {value})\n"
                             f"state={state}\nevents={events}")

    def wait_for_event(self, name: str, predicate: str = "() => true", timeout: float = 30):
        """The first recorded listener event `name` whose args satisfy the JS `predicate(args)`."""
        return self.wait_for(
            "([name, source]) => { const match = eval(source); "
            "return window.harness.events.find(e => e.name === name && match(...e.args)) || false; }",
            [name, predicate], timeout=timeout, message=f"listener event {name}")

    def events(self, name: str) -> list:
        return self.call("eventsNamed", name)

    def state(self) -> dict:
        return self.call("state")

    def video_of(self, participant_id: str, media: str = "primary") -> dict:
        return self.call("videoOf", participant_id, media)

    def wait_for_video(self, participant_id: str, media: str = "primary", timeout: float = 45) -> dict:
        """Waits until this user plays `participant_id`'s video: size known and frames being decoded."""
        self.call("watch", participant_id, media)
        first = self.wait_for(
            "async ([pid, media]) => { const v = await window.harness.videoOf(pid, media);"
            " return v.videoWidth > 0 && v.framesDecoded > 0 ? v : false; }",
            [participant_id, media], timeout=timeout, message=f"video of {participant_id} ({media})")
        later = self.wait_for(
            "async ([pid, media, before]) => { const v = await window.harness.videoOf(pid, media);"
            " return v.framesDecoded >= before + 10 ? v : false; }",
            [participant_id, media, first["framesDecoded"]], timeout=timeout,
            message=f"more decoded frames of {participant_id} ({media})")
        return later


@pytest.fixture
def sdk_room(web_server, browser_users):
    """`sdk_room("moderator", "speaker")` -> [SdkUser, ...]: a conference and one joined user per role."""

    def make(*roles, conference_name="e2e", join=True):
        conference = web_server.create_conference(name=conference_name)
        users = []
        for index, role in enumerate(roles, 1):
            participant = web_server.create_participant(conference["id"], name=f"User {index}", role=role)
            page = browser_users.page()
            user = SdkUser(page, web_server, conference["id"], participant).open()
            if join:
                user.join()
            users.append(user)
        return users

    return make


@pytest.fixture
def room_people(browser_users, web_server, make_user):
    """Meetings and people in their own browsers, for the room tests (tests/e2e/room_helpers.py)."""
    from tests.e2e.room_helpers import RoomPeople

    return RoomPeople(browser_users, web_server, make_user)
