"""From the participants panel the host mutes someone (their microphone goes off), then asks them
to unmute (they choose to), and the room shows who is muted."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def open_person_menu(host, name):
    if host.page.locator("#panel-people").is_hidden():
        host.page.click("#btn-people")
    host.page.click(f'#people-list .person[data-name="{name}"] button[aria-haspopup="menu"]')


def test_the_host_mutes_and_asks_to_unmute(room_people):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    host.wait_for_video_of("Gus Guest")

    open_person_menu(host, "Gus Guest")
    host.page.click('[data-action="mute"]')
    guest.wait_for("() => document.querySelector('#btn-mic').classList.contains('off')", message="Gus's mic turned off")
    guest.page.wait_for_selector(".toast:has-text('The host muted you')")
    host.wait_for("() => document.querySelector('.tile[data-name=\"Gus Guest\"]').dataset.audio === 'off'",
                  message="the host sees Gus muted")

    open_person_menu(host, "Gus Guest")
    host.page.click('[data-action="ask-unmute"]')
    toast = guest.page.wait_for_selector(".toast:has-text('asking you to unmute')")
    assert guest.page.get_attribute("#btn-mic", "aria-pressed") == "false"  # only they can unmute
    toast.query_selector("button").click()
    host.wait_for("() => document.querySelector('.tile[data-name=\"Gus Guest\"]').dataset.audio === 'on'",
                  message="Gus unmuted himself")
