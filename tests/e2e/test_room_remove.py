"""The host removes someone: they land on the "removed" page and leave everyone's grid."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_host_removes_a_participant(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    gus = room_people.guest().open(meeting).join("Gus Guest")
    olga = room_people.guest().open(meeting).join("Olga Other")
    host.wait_for_tile("Gus Guest")
    olga.wait_for_tile("Gus Guest")

    host.page.click("#btn-people")
    host.page.click('#people-list .person[data-name="Gus Guest"] button[aria-haspopup="menu"]')
    host.page.click('[data-action="remove"]')
    host.page.wait_for_selector("#confirm[open]")
    screenshot(host.page, "confirm-remove")
    host.page.click("#confirm-yes")

    gus.wait_for_page("/bye?reason=removed")
    assert "You've been removed from the meeting" in gus.page.text_content("h1")
    assert gus.page.locator("a", has_text="Rejoin").count() == 0
    screenshot(gus.page, "removed")
    gus.page.goto(f"/j/{meeting.pk}")  # back to the room in the same tab: still removed
    gus.wait_for_page("/bye?reason=removed")
    host.page.wait_for_selector('.tile[data-name="Gus Guest"]', state="detached")
    olga.page.wait_for_selector('.tile[data-name="Gus Guest"]', state="detached")
    assert host.page.locator('#people-list .person[data-name="Gus Guest"]').count() == 0
