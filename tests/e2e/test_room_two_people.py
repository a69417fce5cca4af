"""Two people join the same meeting from the pre-join screen and each sees the other's camera
playing (a frame size, and decoded frames going up)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_people_see_each_other(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting)
    assert host.page.input_value("#join-name") == "Hana Host"  # prefilled for signed-in people
    host.wait_for_preview()
    host.wait_for("() => !document.querySelector('#pick-camera').disabled", message="camera picker filled")
    screenshot(host.page, "prejoin")
    host.join()

    guest = room_people.guest().open(meeting)
    assert guest.page.input_value("#join-name") == ""
    guest.join("Gus Guest")

    guest.wait_for_video_of("Hana Host")
    host.wait_for_video_of("Gus Guest")
    assert host.tile("Gus Guest").get_attribute("data-audio") == "on"
    assert guest.page.locator(".tile").count() == 2 and host.page.locator(".tile").count() == 2
    assert host.page.text_content("#people-badge") == "2"
    screenshot(guest.page, "two-people")
