"""End-to-end encryption in the room (static/js/e2ee/, docs/room.md), in real Chromium through Janus.

The camera is a Y4M file of one orange picture (one Chromium, the fake camera flag is per process,
two browser contexts). The host and a guest join an e2ee meeting: each sees the other's video in
orange and hears the other speak (their browsers decrypted both) and both show the same verification code. Then an observer
joins the conference the way the server's operator could (a participant made with the application
token, an aiortc client that speaks the session protocol but has no key): it receives the RTP of
the host's camera exactly as Janus forwards it, and not one frame of it decodes to the orange
picture. The observer also publishes plain video: the people's browsers cannot decrypt it and the
room says that person's key is missing. Without the encryption the observer would decode orange
frames (its decoder is the same libvpx), so the check can fail."""

import asyncio
import re
import threading
import time

import pytest

from meetings.models import Instance
from tests.e2e.room_helpers import RECEIVED_LEVELS, RoomPeople, orm
from tests.mind.media_peer import MindPeer
from tests.mind.speech import ALICE, speak
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, BrowserUsers

pytestmark = pytest.mark.django_db(transaction=True)

W, H = 320, 240
ORANGE = (235, 120, 30)
CODE = re.compile(r"^\d{5} \d{5} \d{5} \d{5}$")

# The mean colour of the middle of a <video> (drawn on a canvas).
CENTRE_RGB = """([selector]) => {
  const video = document.querySelector(selector);
  if (!video || !video.videoWidth) return null;
  const canvas = new OffscreenCanvas(64, 48);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(video, 0, 0, 64, 48);
  const data = ctx.getImageData(24, 18, 16, 12).data;
  let r = 0, g = 0, b = 0;
  for (let i = 0; i < data.length; i += 4) { r += data[i]; g += data[i + 1]; b += data[i + 2]; }
  const n = data.length / 4;
  return [r / n, g / n, b / n];
}"""


def write_y4m(path, rgb, frames: int = 10):
    r, g, b = rgb
    y = int(0.257 * r + 0.504 * g + 0.098 * b + 16)
    u = int(-0.148 * r - 0.291 * g + 0.439 * b + 128)
    v = int(0.439 * r - 0.368 * g - 0.071 * b + 128)
    frame = b"FRAME\n" + bytes([y]) * (W * H) + bytes([u]) * (W * H // 4) + bytes([v]) * (W * H // 4)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{W} H{H} F30:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(frame)
    return path


def close_to(rgb, expected, tolerance=30) -> bool:
    return rgb is not None and all(abs(a - b) <= tolerance for a, b in zip(rgb, expected, strict=True))


def centre_rgb(frame) -> tuple[float, float, float]:
    """The colour at the middle of a decoded aiortc (PyAV) frame, from its YUV 4:2:0 planes."""
    frame = frame.reformat(format="yuv420p")
    x, y = frame.width // 2, frame.height // 2
    luma, cb, cr = (bytes(plane) for plane in frame.planes)
    Y = luma[y * frame.planes[0].line_size + x]
    U = cb[(y // 2) * frame.planes[1].line_size + x // 2]
    V = cr[(y // 2) * frame.planes[2].line_size + x // 2]
    c, d, e = Y - 16, U - 128, V - 128
    return (1.164 * c + 1.596 * e, 1.164 * c - 0.392 * d - 0.813 * e, 1.164 * c + 2.017 * d)


class Observer(MindPeer):
    """A participant without the key that also keeps the centre colour of every video frame it decodes."""

    def __init__(self, url):
        super().__init__(url)
        self.decoded_colours: list[tuple] = []

    async def _consume(self, track, received):
        if track.kind != "video":
            return await super()._consume(track, received)
        try:
            while True:
                frame = await track.recv()
                received.add(frame)
                self.decoded_colours.append(centre_rgb(frame))
        except Exception:  # MediaStreamError when the track ends
            pass

    async def packets_received(self, participant_id: str) -> int:
        """RTP packets of that participant's video that reached this peer (decodable or not)."""
        mids = {mid for mid, s in self.streams.items() if s["participantId"] == participant_id and s["kind"] == "video"}
        total = 0
        for transceiver in self.subscription.getTransceivers() if self.subscription else []:
            if transceiver.mid in mids:
                for stats in (await transceiver.receiver.getStats()).values():
                    total += getattr(stats, "packetsReceived", 0) or 0
        return total


class Loop:
    """An asyncio loop in a thread, for aiortc next to Playwright's sync API."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: float = 60):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def orange_people(web_server, make_user, monkeypatch, tmp_path):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as the `chromium` fixture (see there)
    camera = write_y4m(tmp_path / "orange.y4m", ORANGE)
    # Speech (noise suppression, on by default, would take a steady tone for noise), looped by Chromium.
    microphone = speak(ALICE[:2], tmp_path / "speech.wav", gap=0.3, lead=0.2, tail=0.2)
    manager = sync_playwright().start()
    browser = manager.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={camera}",
                                            f"--use-file-for-fake-audio-capture={microphone}"])
    users = BrowserUsers(browser, web_server)
    try:
        yield RoomPeople(users, web_server, make_user)
    finally:
        users.close()
        browser.close()
        manager.stop()


def test_encrypted_call_decodes_only_with_the_key(orange_people, web_server, screenshot):
    host = orange_people.host("Hana Host")
    meeting = orange_people.meeting(host, encryption_type="e2ee")
    host.open(meeting)
    assert host.page.is_visible("#e2ee-prejoin")  # told before joining
    screenshot(host.page, "prejoin")
    host.join()
    guest = orange_people.guest().open(meeting).join("Gus Guest")

    guest.wait_for_video_of("Hana Host")
    host.wait_for_video_of("Gus Guest")
    for person, other in ((guest, "Hana Host"), (host, "Gus Guest")):
        selector = f'.tile:not(.self)[data-name="{other}"] video'
        person.wait_for(f"([s]) => {{ const c = ({CENTRE_RGB})([s]); return c && Math.abs(c[0] - {ORANGE[0]}) < 30"
                        f" && Math.abs(c[1] - {ORANGE[1]}) < 30 && Math.abs(c[2] - {ORANGE[2]}) < 30; }}",
                        [selector], message=f"{other}'s orange camera, decrypted")
    # ... and hears the other speak: the received audio decrypts to sound, not silence.
    for person, other in ((guest, "Hana Host"), (host, "Gus Guest")):
        levels = person.page.evaluate(RECEIVED_LEVELS, [other, 4]) or [-120.0]
        assert max(levels) > -40, f"{other}'s speech, decrypted: {max(levels):.1f} dBFS"
    codes = [p.wait_for("() => { const b = document.querySelector('#e2ee-badge');"
                        " return b && !b.hidden && b.dataset.code; }", message="verification code") for p in (host, guest)]
    assert CODE.match(codes[0]) and codes[0] == codes[1], codes

    # The server side: a participant made with the application token, as the operator could.
    conference_id = orm(lambda: Instance.objects.get(meeting_id=meeting.pk, ended_at__isnull=True).conference_id)
    host_id = host.my_id()
    made = web_server.create_participant(conference_id, name="Observer", role="speaker")
    url = f"ws://127.0.0.1:{web_server.port}/mind/{web_server.application_id}/{conference_id}/session?access_token={made['token']}"
    loop = Loop()
    observer = loop.run(Observer.join(url))
    try:
        assert loop.run(observer.publish(audio=False)).get("type") == "answer"

        async def forwarded(packets: int):
            await observer.wait_until(lambda: any(s["participantId"] == host_id for s in observer.streams.values()),
                                      timeout=30, what="the host's streams offered to the observer")
            deadline = asyncio.get_running_loop().time() + 30
            while await observer.packets_received(host_id) < packets:
                assert asyncio.get_running_loop().time() < deadline, observer.describe()
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)  # a few more seconds of video for the decoder

        loop.run(forwarded(150))
        orange = [c for c in observer.decoded_colours if close_to(c, ORANGE)]
        assert orange == [], f"{len(orange)} of {len(observer.decoded_colours)} frames decoded without the key"

        # The people's browsers cannot decrypt the observer's plain video, and say so.
        host.wait_for("() => { const t = document.querySelector('.tile[data-name=\"Observer\"]');"
                      " return t && t.dataset.e2ee === 'missing-key' && t.querySelector('.e2ee-missing'); }",
                      timeout=45, message="the observer's tile says the key is missing")
        screenshot(host.page, "host-with-keyless-observer")

        # Someone leaves: everyone still here makes a new sending key, and the video goes on under it.
        key_ids = [p.page.get_attribute("#e2ee-badge", "data-key-id") for p in (host, guest)]
        loop.run(observer.leave())
        for person, before in zip((host, guest), key_ids, strict=True):
            person.wait_for("([before]) => document.querySelector('#e2ee-badge').dataset.keyId !== before", [before],
                            message="a new sending key after someone left")
        time.sleep(2)  # the new keys are in use one second after they were sent
        guest.wait_for_video_of("Hana Host")
        host.wait_for_video_of("Gus Guest")
    finally:
        loop.run(observer.close())
        loop.stop()
