"""The host starts and stops the recording from the room; everyone sees the recording indicator."""

import pytest

from tests.e2e.room_helpers import orm

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_host_records_and_everyone_sees_it(room_people):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    host.wait_for_video_of("Gus Guest")
    assert guest.page.locator("#rec").is_hidden()

    guest.page.click("#btn-more")
    assert guest.page.locator('[data-action="recording"]').count() == 0  # only hosts record
    guest.page.keyboard.press("Escape")

    host.page.click("#btn-more")
    host.page.click('[data-action="recording"]')
    guest.page.wait_for_selector("#rec:not([hidden])")
    host.page.wait_for_selector("#rec:not([hidden])")
    guest.page.wait_for_selector(".toast:has-text('This meeting is being recorded')")
    assert orm(lambda: meeting.instances.get().recording_state) == "recording"

    host.page.click("#btn-more")
    assert host.page.text_content('[data-action="recording"]') == "Stop recording"
    host.page.click('[data-action="recording"]')
    guest.page.wait_for_selector("#rec", state="hidden")
    assert orm(lambda: meeting.instances.get().recording_state) == "stopped"
