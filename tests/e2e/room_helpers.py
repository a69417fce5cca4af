"""Helpers for the room's end-to-end tests (tests/e2e/test_room_*.py): people in real Chromium
pages on the room (/j/<id>), driven only through what a person sees and clicks.

`room_people` (a fixture of tests/support/browser.py) makes meetings and people:

    host = room_people.host()                  # a signed-in host (User) and their browser page
    meeting = room_people.meeting(host, ...)   # a meeting hosted by them (Meeting)
    ann = room_people.guest()                  # an anonymous person with their own browser
    ann.open(meeting).join("Ann")              # pre-join screen, then "Join now"
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection
from django.test import Client

# Levels (dBFS) of the received audio of the person named `name`, in 50 ms windows over `seconds`.
RECEIVED_LEVELS = """async ([name, seconds]) => {
  const video = document.querySelector(`.tile:not(.self)[data-name="${name}"] video`);
  const track = video && video.mediaStream && video.mediaStream.getAudioTrack();
  if (!track) return null;
  const context = new AudioContext({ sampleRate: 48000 });
  await context.resume();
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const levels = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const value of samples) sum += value * value;
    levels.push(10 * Math.log10(sum / samples.length + 1e-12));
  }
  await context.close();
  return levels;
}"""

VIDEO_OF = """([selector]) => {
  const video = document.querySelector(selector);
  if (!video) return null;
  const quality = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
  return { width: video.videoWidth, height: video.videoHeight, paused: video.paused,
           decoded: video.webkitDecodedFrameCount ?? (quality ? quality.totalVideoFrames : 0) };
}"""


def orm(function, *args, **kwargs):
    """Runs database code off the main thread: Playwright's sync API keeps an event loop running
    there, and Django refuses database calls from a thread with a running loop."""

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


class RoomUser:
    def __init__(self, page, server, user=None):
        self.page = page
        self.server = server
        self.user = user
        self.meeting_id = None

    # --- navigation -------------------------------------------------------------------------------

    def open(self, meeting, query: str = "") -> "RoomUser":
        self.meeting_id = meeting.pk if hasattr(meeting, "pk") else meeting
        self.page.goto(f"/j/{self.meeting_id}{query}")
        self.page.wait_for_selector("#join-button", state="visible")
        return self

    def join(self, name: str | None = None, passcode: str | None = None, expect_call: bool = True) -> "RoomUser":
        page = self.page
        if name is not None and not page.locator("#join-name").evaluate("e => e.readOnly"):
            page.fill("#join-name", name)
        if passcode is not None:
            page.fill("#join-passcode", passcode)
        self.wait_for_preview()
        page.click("#join-button")
        if expect_call:
            self.wait_in_call()
        return self

    def wait_for_preview(self, timeout: float = 20):
        """The pre-join preview plays the camera (when the camera is on)."""
        self.page.wait_for_function(
            "() => { const v = document.querySelector('#preview-video');"
            " return document.querySelector('#pre-cam').classList.contains('off') || (v && v.videoWidth > 0); }",
            timeout=timeout * 1000)

    def wait_in_call(self, timeout: float = 30):
        self.page.wait_for_selector("#call:not([hidden]) .tile.self[data-participant-id]", timeout=timeout * 1000)

    # --- what the page shows ----------------------------------------------------------------------

    def my_id(self) -> str:
        return self.page.get_attribute(".tile.self", "data-participant-id")

    def tile(self, name: str):
        return self.page.locator(f'.tile:not(.self)[data-name="{name}"]')

    def wait_for(self, expression: str, arg=None, timeout: float = 30, message: str = ""):
        try:
            return self.page.wait_for_function(expression, arg=arg, timeout=timeout * 1000, polling=100).json_value()
        except Exception as exc:
            raise AssertionError(f"{message or expression}: {exc}") from None

    def video_state(self, selector: str) -> dict | None:
        return self.page.evaluate(VIDEO_OF, [selector])

    def wait_for_video(self, selector: str, timeout: float = 45, what: str = "") -> dict:
        """Waits until the <video> at `selector` plays: a frame size, and decoded frames going up."""
        first = self.wait_for(
            f"([selector]) => {{ const s = ({VIDEO_OF})([selector]); return s && s.width > 0 && s.decoded > 0 ? s : false; }}",
            [selector], timeout=timeout, message=f"video playing: {what or selector}")
        return self.wait_for(
            f"([selector, before]) => {{ const s = ({VIDEO_OF})([selector]);"
            " return s && s.decoded >= before + 10 ? s : false; }",
            [selector, first["decoded"]], timeout=timeout, message=f"more frames decoded: {what or selector}")

    def wait_for_video_of(self, name: str, timeout: float = 45) -> dict:
        return self.wait_for_video(f'.tile:not(.self)[data-name="{name}"] video', timeout, what=f"{name}'s camera")

    def wait_for_tile(self, name: str, timeout: float = 30):
        self.page.wait_for_selector(f'.tile:not(.self)[data-name="{name}"]', timeout=timeout * 1000)

    def wait_for_page(self, path_fragment: str, timeout: float = 30):
        self.page.wait_for_url(f"**{path_fragment}*", timeout=timeout * 1000)


class RoomPeople:
    def __init__(self, browser_users, server, make_user):
        self.browser_users = browser_users
        self.server = server
        self.make_user = make_user
        self._numbers = itertools.count(1)

    def _page(self, viewport=None):
        context = self.browser_users.new()
        page = context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        return context, page

    def host(self, name: str = "Hana Host", viewport=None) -> RoomUser:
        user = orm(self.make_user, email=f"host{next(self._numbers)}@example.com", display_name=name)
        context, page = self._page(viewport)
        sign_in(context, self.server, user)
        return RoomUser(page, self.server, user)

    def signed_in(self, name: str, viewport=None, account=None) -> RoomUser:
        user = orm(self.make_user, email=f"person{next(self._numbers)}@example.com", display_name=name, account=account)
        context, page = self._page(viewport)
        sign_in(context, self.server, user)
        return RoomUser(page, self.server, user)

    def guest(self, viewport=None) -> RoomUser:
        _, page = self._page(viewport)
        return RoomUser(page, self.server)

    def meeting(self, host: RoomUser, **settings_):
        from meetings.actions import schedule

        # Cameras on at entry unless a test says otherwise (host_video / participant_video default off).
        return orm(schedule.create_meeting, host.user, {"type": 1, "topic": "Weekly design review", "password": "",
                                                        "settings": {"join_before_host": False, "host_video": True,
                                                                     "participant_video": True, **settings_}})


def sign_in(context, server, user) -> None:
    """Gives the browser context a signed-in session of `user` (as the sign-in page would)."""
    client = Client()
    orm(client.force_login, user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": server.url}])

