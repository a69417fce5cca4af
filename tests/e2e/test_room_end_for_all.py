"""The host ends the call for everyone: every page lands on "the meeting has ended"."""

import pytest

from tests.e2e.room_helpers import orm

pytestmark = pytest.mark.django_db(transaction=True)


def test_end_for_all_closes_everyone(room_people):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    host.wait_for_tile("Gus Guest")

    guest.page.click("#btn-leave")  # no menu for a guest: they just leave
    guest.wait_for_page("/bye?reason=left")  # the call goes on without them
    assert guest.page.locator("a", has_text="Rejoin").count() == 1
    host.page.wait_for_selector('.tile[data-name="Gus Guest"]', state="detached")

    guest.page.click("a:has-text('Rejoin')")
    guest.page.wait_for_selector("#join-button", state="visible")
    guest.join("Gus Guest")
    host.wait_for_tile("Gus Guest")

    host.page.click("#btn-leave")
    host.page.click('[data-action="end-all"]')
    host.page.click("#confirm-yes")
    host.wait_for_page("/bye?reason=ended")
    guest.wait_for_page("/bye?reason=ended")
    assert "The meeting has ended" in guest.page.text_content("h1")
    assert orm(lambda: meeting.instances.get().ended_at) is not None
