"""The host presents: the others see the screen share as the main stage, playing, with the
camera tiles beside it; when the host stops, the stage goes away."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_screen_share_is_the_main_stage(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    guest.wait_for_video_of("Hana Host")

    host.page.click("#btn-share")
    host.wait_for("() => document.querySelector('#btn-share').getAttribute('aria-pressed') === 'true'",
                  message="the host is presenting")
    guest.page.wait_for_selector("#stage:not([hidden])[data-kind='presentation']")
    stage = guest.wait_for_video("#stage-video", what="the shared screen")
    assert stage["width"] > 0
    assert guest.page.text_content("#stage-label") == "Hana Host is presenting"
    box = guest.page.locator("#stage").bounding_box()
    tile = guest.tile("Hana Host").bounding_box()
    assert box["width"] > 2 * tile["width"]  # the stage is the big picture; tiles are a filmstrip
    guest.wait_for_video_of("Hana Host")  # the camera still plays beside it
    screenshot(guest.page, "screen-share")

    host.page.click("#btn-share")
    guest.page.wait_for_selector("#stage", state="hidden")
