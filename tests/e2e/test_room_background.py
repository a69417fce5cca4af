"""Background blur and replacement (static/js/effects/background.js and background_worker.js),
checked on what the other person receives. The camera is a Y4M file (made here): a head-and-
shoulders figure in the centre over a busy striped background. A guest chooses Blur on the pre-join
screen; the host's received video of the guest has a smooth background (its stripes gone) and the
figure's face and shirt unchanged. Then the guest picks the Sky image in Settings during the call:
the host sees sky blue around the figure, still the same face in the middle.

One Chromium (the fake camera flag is per browser process) holds both people, in two contexts."""

import pytest

from tests.e2e.room_helpers import RoomPeople
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, BrowserUsers

pytestmark = pytest.mark.django_db(transaction=True)

W, H = 640, 360
FACE = (220, 175, 145)
SHIRT = (40, 60, 110)
STRIPES = [(230, 60, 50), (40, 170, 70), (250, 220, 40), (50, 80, 220)]


def figure_rgb(x: int, y: int) -> tuple:
    """The camera picture: the figure (hair, face, neck, shirt) over colour stripes."""
    cx = 320
    if y >= 245 and abs(x - cx) <= min(95 + (y - 245) * 1.6, 230):
        return SHIRT
    if 205 <= y < 250 and abs(x - cx) <= 30:
        return (205, 160, 130)
    if ((x - cx) / 62) ** 2 + ((y - 128) / 80) ** 2 <= 1 and y < 110:
        return (45, 30, 20)
    if ((x - cx) / 56) ** 2 + ((y - 140) / 72) ** 2 <= 1:
        if any((x - ex) ** 2 + (y - 130) ** 2 <= 36 for ex in (cx - 20, cx + 20)):
            return (30, 30, 30)
        if abs(x - cx) <= 18 and 170 <= y <= 176:
            return (160, 60, 60)
        return FACE
    bg = STRIPES[((x + y) // 12) % 4]
    return tuple(min(255, c + 20) for c in bg) if ((x // 20) + (y // 20)) % 2 else bg


def write_y4m(path, frames: int = 30):
    luma, cb, cr = bytearray(W * H), bytearray(W * H // 4), bytearray(W * H // 4)
    for y in range(H):
        for x in range(W):
            r, g, b = figure_rgb(x, y)
            luma[y * W + x] = int(0.257 * r + 0.504 * g + 0.098 * b + 16)
            if x % 2 == 0 and y % 2 == 0:
                cb[(y // 2) * (W // 2) + x // 2] = int(-0.148 * r - 0.291 * g + 0.439 * b + 128)
                cr[(y // 2) * (W // 2) + x // 2] = int(0.439 * r - 0.368 * g - 0.071 * b + 128)
    frame = b"FRAME\n" + bytes(luma) + bytes(cb) + bytes(cr)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{W} H{H} F30:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(frame)
    return path


# Mean colour and luminance spread of patches (x, y, w, h in the 640x360 picture) of a <video>.
PATCHES = """([selector, patches]) => {
  const video = document.querySelector(selector);
  if (!video || !video.videoWidth) return null;
  const canvas = new OffscreenCanvas(640, 360);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(video, 0, 0, 640, 360);
  return patches.map(([x, y, w, h]) => {
    const data = ctx.getImageData(x, y, w, h).data;
    let r = 0, g = 0, b = 0, l = 0, l2 = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      r += data[i]; g += data[i + 1]; b += data[i + 2];
      const lum = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      l += lum; l2 += lum * lum;
    }
    return { rgb: [r / n, g / n, b / n], spread: Math.sqrt(Math.max(0, l2 / n - (l / n) ** 2)) };
  });
}"""
BACKGROUND = [(10, 10, 60, 60), (560, 20, 60, 60), (20, 200, 50, 50)]  # corners and a side: no figure there
CENTRE = [(300, 140, 14, 14), (300, 300, 40, 30)]  # the face (below the eyes) and the shirt


def source_spread(x, y, w, h) -> float:
    lums = [0.299 * r + 0.587 * g + 0.114 * b for r, g, b in (figure_rgb(i, j) for i in range(x, x + w) for j in range(y, y + h))]
    mean = sum(lums) / len(lums)
    return (sum((v - mean) ** 2 for v in lums) / len(lums)) ** 0.5


def close_to(rgb, expected, tolerance=35):
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, expected, strict=True))


@pytest.fixture
def camera_people(web_server, make_user, monkeypatch, tmp_path):
    """RoomPeople in one Chromium whose fake camera shows the figure."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as the `chromium` fixture (see there)
    camera = write_y4m(tmp_path / "figure.y4m")
    manager = sync_playwright().start()
    browser = manager.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={camera}"])
    users = BrowserUsers(browser, web_server)
    try:
        yield RoomPeople(users, web_server, make_user), users
    finally:
        users.close()
        browser.close()
        manager.stop()


def test_blur_and_image_background_reach_the_other_side(camera_people, screenshot):
    room_people, users = camera_people
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()

    guest = room_people.guest().open(meeting)
    guest.wait_for_preview()
    assert guest.page.eval_on_selector("#pick-background", "s => s.value") == "none"
    guest.page.select_option("#pick-background", "blur")
    guest.wait_for("() => document.querySelector('#pick-background').dataset.state === 'on'", timeout=60,
                   message="background blur running in the preview")
    source = [source_spread(*patch) for patch in BACKGROUND]
    assert min(source) > 40  # the camera's background is busy
    # The preview already shows it: smooth background, sharp figure.
    for _ in range(60):
        preview_bg, preview_centre = (guest.page.evaluate(PATCHES, ["#preview-video", patches]) for patches in (BACKGROUND, CENTRE))
        if preview_bg and all(p["spread"] < s / 3 for p, s in zip(preview_bg, source, strict=True)) \
                and close_to(preview_centre[0]["rgb"], FACE) and close_to(preview_centre[1]["rgb"], SHIRT):
            break
        guest.page.wait_for_timeout(500)
    else:
        raise AssertionError(f"the preview is not blurred: {preview_bg} {preview_centre}")
    screenshot(guest.page, "prejoin-blur")
    guest.join("Gil Guest")

    selector = '.tile:not(.self)[data-name="Gil Guest"] video'
    host.wait_for_video_of("Gil Guest", timeout=60)

    def received(patches):
        return host.page.evaluate(PATCHES, [selector, patches])

    def wait_until(check, message, timeout=45):
        for _ in range(timeout * 2):
            background, centre = received(BACKGROUND), received(CENTRE)
            if background and check(background, centre):
                return background, centre
            host.page.wait_for_timeout(500)
        raise AssertionError(f"{message}: background {background}, centre {centre}; console {users.console[-20:]}")

    # Blur: the background's stripes are smoothed away; the face and shirt keep their colours.
    background, centre = wait_until(
        lambda bg, c: all(p["spread"] < s / 3 for p, s in zip(bg, source, strict=True))
        and close_to(c[0]["rgb"], FACE) and close_to(c[1]["rgb"], SHIRT),
        "blurred background around a sharp figure")
    screenshot(host.page, "host-sees-blur")

    # During the call: Settings -> Background -> Sky. Sky blue behind, the same face in front.
    guest.page.click("#btn-more")
    guest.page.click('[data-action="settings"]')
    guest.page.wait_for_selector("#settings[open]")
    assert guest.page.eval_on_selector("#set-background", "s => s.value") == "blur"
    guest.page.select_option("#set-background", "image-sky")
    screenshot(guest.page, "settings-background")
    guest.page.click("#settings-done")

    def sky(rgb):
        r, g, b = rgb
        return b > r + 60 and b > 150

    wait_until(lambda bg, c: sky(bg[0]["rgb"]) and sky(bg[1]["rgb"]) and close_to(c[0]["rgb"], FACE)
               and close_to(c[1]["rgb"], SHIRT), "sky image behind the figure")
    screenshot(host.page, "host-sees-sky")

    # Off again: the camera's own picture (busy stripes) comes back.
    guest.page.click("#btn-more")
    guest.page.click('[data-action="settings"]')
    guest.page.select_option("#set-background", "none")
    guest.page.click("#settings-done")
    wait_until(lambda bg, c: all(p["spread"] > s / 2 for p, s in zip(bg, source, strict=True)), "the unprocessed camera again")
