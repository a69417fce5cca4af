"""The shared whiteboard (static/js/whiteboard/whiteboard.js, whiteboards app): a stroke drawn in one
browser appears in another and in a late joiner's; strokes go both ways; the board's PNG is kept with
the meeting's record and the host downloads it from the past meeting's page after the meeting ends.
Three people in one Chromium (three contexts)."""

import pytest
from django.test import Client

from tests.e2e.room_helpers import orm
from whiteboards.models import Whiteboard

pytestmark = pytest.mark.django_db(transaction=True)

# Whether the board's drawing (the lower canvas, 1280x720) has the pen's blue near (x, y).
BLUE_NEAR = """([x, y]) => {
  const canvas = document.querySelector('#wb-canvas');
  if (!canvas) return false;
  const data = canvas.getContext('2d').getImageData(x - 6, y - 6, 13, 13).data;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 2] > 180 && data[i] < 80 && data[i + 1] < 160) return true;
  }
  return false;
}"""


def open_board(person):
    person.page.click("#btn-more")
    person.page.click('[data-action="whiteboard"]')
    person.page.wait_for_selector("#whiteboard:not([hidden])[data-version]")


def draw(person, start, end):
    """A stroke from `start` to `end`, in board coordinates (1280x720)."""
    box = person.page.locator("#whiteboard .upper-canvas").bounding_box()
    scale = box["width"] / 1280

    def at(point):
        return box["x"] + point[0] * scale, box["y"] + point[1] * scale

    person.page.mouse.move(*at(start))
    person.page.mouse.down()
    for step in range(1, 21):
        x = start[0] + (end[0] - start[0]) * step / 20
        y = start[1] + (end[1] - start[1]) * step / 20
        person.page.mouse.move(*at((x, y)))
    person.page.mouse.up()


def shows(person, elements: int, *points):
    person.wait_for(f"() => document.querySelector('#whiteboard').dataset.elements === '{elements}'",
                    message=f"{elements} strokes on the board")
    for point in points:
        person.wait_for(f"() => ({BLUE_NEAR})([{point[0]}, {point[1]}])", message=f"the stroke's ink at {point}")


def test_strokes_reach_everyone_and_the_board_is_kept(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gil Guest")
    host.wait_for_tile("Gil Guest")

    open_board(guest)
    draw(guest, (256, 216), (768, 360))
    shows(guest, 1, (512, 288))

    open_board(host)  # the host opens it after the stroke: fetched from the server
    shows(host, 1, (512, 288))
    draw(host, (300, 600), (1000, 600))
    shows(host, 2, (650, 600))
    shows(guest, 2, (650, 600))  # announced through the engine while the guest's board is open
    screenshot(guest.page, "guest-board")

    late = room_people.guest().open(meeting).join("Lou Late")
    open_board(late)
    shows(late, 2, (512, 288), (650, 600))
    screenshot(late.page, "late-joiner-board")

    # The last change's PNG is kept (uploaded by the browser that drew it).
    instance = orm(lambda: meeting.instances.get())
    for _ in range(60):
        board = orm(lambda: Whiteboard.objects.get(instance=instance))
        if board.png and board.png_version == board.version:
            break
        host.page.wait_for_timeout(500)
    assert board.png_version == board.version == 2

    host.page.click("#btn-leave")
    host.page.click('[data-action="end-all"]')
    host.page.click("#confirm-yes")
    host.wait_for_page("/bye?reason=ended")

    client = Client()
    orm(client.force_login, host.user)
    page = orm(client.get, f"/meetings/previous/{instance.pk}")
    assert b"Download the whiteboard (PNG)" in page.content
    download = orm(client.get, f"/meetings/previous/{instance.pk}/whiteboard.png")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG\r\n\x1a\n")
