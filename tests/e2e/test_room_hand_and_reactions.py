"""Raising a hand shows on the others' tiles and participants panel; a reaction floats over the
sender's tile on the other side."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_raise_hand_and_react(room_people):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    host.wait_for_tile("Gus Guest")
    guest.wait_for_tile("Hana Host")

    guest.page.click("#btn-hand")
    host.page.wait_for_selector('.tile[data-name="Gus Guest"][data-hand="up"] .chip.hand')
    host.page.wait_for_selector(".toast:has-text('Gus Guest raised a hand')")
    host.page.click("#btn-people")
    host.page.wait_for_selector('#people-list .person[data-name="Gus Guest"] .hand')
    guest.page.click("#btn-hand")
    host.page.wait_for_selector('.tile[data-name="Gus Guest"][data-hand="down"]')

    guest.page.click("#btn-react")
    guest.page.click('#reactions button[aria-label="React 🎉"]')
    reaction = host.page.wait_for_selector('.tile[data-name="Gus Guest"] .reaction-float')
    assert reaction.text_content() == "🎉"
