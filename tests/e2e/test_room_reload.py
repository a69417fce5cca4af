"""Reloading the room rejoins the call at once as the same participant (same identity for the
others), and the media flows again both ways."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_reload_rejoins_as_the_same_participant(room_people):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    host.wait_for_video_of("Gus Guest")
    guest_id = guest.my_id()
    assert host.tile("Gus Guest").get_attribute("data-participant-id") == guest_id

    guest.page.reload()
    guest.wait_in_call()  # straight back into the call: no pre-join screen
    assert guest.page.locator("#prejoin").is_hidden()
    assert guest.my_id() == guest_id
    guest.wait_for_video_of("Hana Host")
    host.wait_for_video_of("Gus Guest")
    assert host.tile("Gus Guest").get_attribute("data-participant-id") == guest_id
    assert host.page.locator(".tile").count() == 2
