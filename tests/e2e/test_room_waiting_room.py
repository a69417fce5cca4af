"""With the waiting room on, a guest waits on the pre-join screen until the host admits them from
the participants panel; then they are in the call."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_host_admits_a_guest(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host, waiting_room=True)
    host.open(meeting).join()

    guest = room_people.guest().open(meeting).join("Gus Guest", expect_call=False)
    guest.page.wait_for_selector("#waiting:not([hidden])")
    assert guest.page.text_content("#waiting-title") == "Asking to join…"
    assert guest.page.locator("#call").is_hidden()
    screenshot(guest.page, "waiting")

    host.page.wait_for_selector(".toast:has-text('Gus Guest wants to join')")
    host.page.click("#btn-people")
    row = host.page.wait_for_selector('#lobby-list [data-participant-id]:has-text("Gus Guest")')
    screenshot(host.page, "lobby")
    row.query_selector("button.admit").click()

    guest.wait_in_call()
    guest.wait_for_video_of("Hana Host")
    host.wait_for_video_of("Gus Guest")
    host.page.wait_for_selector("#lobby", state="hidden")
