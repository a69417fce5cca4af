"""The room in German (a browser whose language is German): the pre-join screen's template text, its
scripts' strings (Django's JavaScript catalog in the room's ES modules), the server's join answers,
the waiting screen, and the pages after the call; axe-core and screenshots of the German pre-join."""

from datetime import datetime, timezone

import pytest

from tests.e2e.page_checks import both_widths
from tests.e2e.room_helpers import RoomUser, orm

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(make_user):
    from meetings.actions import schedule

    host = orm(make_user, email="hana@example.com", display_name="Hana Host")
    return orm(schedule.create_meeting, host, {"type": 2, "topic": "Wochenrückblick", "password": "4711",
                                               "start_time": datetime(2031, 4, 2, 10, tzinfo=timezone.utc), "duration": 30,
                                               "settings": {"join_before_host": False}})


def test_the_pre_join_screen_in_german(browser_users, web_server, meeting, screenshot):
    page = browser_users.page(locale="de-DE")
    guest = RoomUser(page, web_server)
    guest.open(meeting)
    guest.wait_for_preview()
    assert page.get_attribute("html", "lang") == "de"
    assert page.inner_text("#join-title") == "Bereit zur Teilnahme?"
    assert page.inner_text("#join-button") == "Jetzt teilnehmen"
    assert "Host: Hana Host" in page.inner_text(".join-col .topic")
    assert page.get_attribute("#join-name", "placeholder") == "Wie heißen Sie?"
    # Set by the room's scripts after the devices start: the catalog reached the ES modules.
    assert page.get_attribute("#pre-mic", "aria-label") == "Mikrofon ausschalten (Strg + D)"
    page.click("#pre-cam")
    page.wait_for_function("() => document.querySelector('#pre-cam').getAttribute('aria-label')"
                           " === 'Kamera einschalten (Strg + E)'")
    assert page.inner_text("#preview-off-text") == "Kamera ist aus"
    page.click("#pre-cam")
    guest.wait_for_preview()
    both_widths(page, screenshot, "pre-join-de")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.click("#join-button")  # no name yet: the script's own message
    assert page.inner_text("#join-error") == "Geben Sie Ihren Namen ein, um teilzunehmen."
    page.fill("#join-name", "Gina Gast")
    assert page.is_visible("#passcode-row")  # a guest without the link's pwd is asked for it
    page.click("#join-button")  # no passcode: the server's answer, in German
    page.wait_for_function("() => document.querySelector('#join-error').textContent"
                           " === 'Geben Sie den Kenncode des Meetings ein.'")
    page.fill("#join-passcode", "0000")
    page.click("#join-button")
    page.wait_for_function("() => document.querySelector('#join-error').textContent"
                           " === 'Falscher Kenncode. Versuchen Sie es erneut.'")
    page.fill("#join-passcode", "4711")
    page.click("#join-button")  # the host has not started: the waiting screen
    page.wait_for_selector("#waiting:not([hidden])")
    assert page.inner_text("#waiting-title") == "Warten auf den Host"
    assert page.inner_text("#waiting-text") == "Sie nehmen teil, sobald der Host das Meeting startet."
    assert page.inner_text("#waiting-cancel") == "Abbrechen"
    page.click("#waiting-cancel")
    page.wait_for_selector("#join-box:not([hidden])")


def test_the_pages_after_the_call_in_german(browser_users, meeting, screenshot):
    page = browser_users.page(f"/j/{meeting.pk}/bye?reason=ended", locale="de-DE")
    assert page.inner_text("#bye-title") == "Das Meeting ist beendet"
    assert "Der Host hat dieses Meeting für alle beendet." in page.inner_text("main")
    assert page.inner_text(".join-actions") == "Zurück zum Startbildschirm"
    both_widths(page, screenshot, "bye-de")
    page.goto("/j/99999999999")
    assert page.inner_text("h1") == "Prüfen Sie Ihren Meeting-Code"
    assert "Das Meeting 99999999999 gibt es nicht" in page.inner_text("main")
    both_widths(page, screenshot, "missing-de")
