"""Muting and turning the camera off show on the other side: the mute badge on the tile, the
avatar instead of the video; the buttons and the ctrl+D / ctrl+E shortcuts both work."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

ATTRIBUTE = "([name, key, value]) => { const t = document.querySelector(`.tile[data-name=\"${name}\"]`);" \
            " return t && t.dataset[key] === value; }"


def test_mute_and_camera_off_show_on_the_other_side(room_people):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    host.wait_for_video_of("Gus Guest")
    assert host.tile("Gus Guest").get_attribute("data-audio") == "on"
    assert not host.tile("Gus Guest").locator(".mic-off").is_visible()

    guest.page.click("#btn-mic")
    host.wait_for(ATTRIBUTE, ["Gus Guest", "audio", "off"], message="Gus shows as muted")
    assert host.tile("Gus Guest").locator(".mic-off").is_visible()
    assert guest.page.get_attribute("#btn-mic", "aria-pressed") == "false"

    guest.page.keyboard.press("Control+d")  # unmute, as in Meet
    host.wait_for(ATTRIBUTE, ["Gus Guest", "audio", "on"], message="Gus unmuted")
    assert not host.tile("Gus Guest").locator(".mic-off").is_visible()

    guest.page.keyboard.press("Control+e")  # camera off
    host.wait_for(ATTRIBUTE, ["Gus Guest", "video", "off"], message="Gus's camera off")
    assert host.tile("Gus Guest").locator(".avatar b").is_visible()
    assert host.tile("Gus Guest").locator(".avatar b").text_content() == "GG"

    guest.page.click("#btn-cam")  # and on again: the video plays again
    host.wait_for(ATTRIBUTE, ["Gus Guest", "video", "on"], message="Gus's camera back on")
    host.wait_for_video_of("Gus Guest")
