"""The host makes someone a co-host from the participants panel: they are told, get the host
controls (mute all, the per-person menu) and can use them; the host can take it back."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def person_menu(user, name):
    if user.page.locator("#panel-people").is_hidden():
        user.page.click("#btn-people")
    user.page.click(f'#people-list .person[data-name="{name}"] button[aria-haspopup="menu"]')


def test_a_co_host_gets_the_host_controls(room_people):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    cora = room_people.guest().open(meeting).join("Cora Cohost")
    gus = room_people.guest().open(meeting).join("Gus Guest")
    for user, name in ((host, "Cora Cohost"), (host, "Gus Guest"), (cora, "Gus Guest")):
        user.wait_for_tile(name)
    cora.page.click("#btn-people")
    assert cora.page.locator("#host-tools").is_hidden()
    assert cora.page.locator('#people-list .person[data-name="Gus Guest"] button[aria-haspopup="menu"]').count() == 0

    person_menu(host, "Cora Cohost")
    host.page.click('[data-action="make-cohost"]')
    cora.page.wait_for_selector(".toast:has-text(\"You're now a co-host\")")
    cora.page.wait_for_selector("#host-tools:not([hidden]) #mute-all")
    assert cora.page.locator("#end-all-panel").is_hidden()  # only hosts end the meeting for everyone
    host.page.wait_for_selector('#people-list .person[data-name="Cora Cohost"] small:has-text("Co-host")')

    person_menu(cora, "Gus Guest")
    assert cora.page.locator('[data-action="make-cohost"]').count() == 0  # only hosts appoint co-hosts
    cora.page.click('[data-action="mute"]')
    gus.wait_for("() => document.querySelector('#btn-mic').classList.contains('off')", message="Gus muted by the co-host")

    person_menu(host, "Cora Cohost")
    host.page.click('[data-action="revoke-cohost"]')
    cora.page.wait_for_selector(".toast:has-text(\"You're no longer a co-host\")")
    cora.page.wait_for_selector("#host-tools", state="hidden")
