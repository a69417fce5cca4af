"""The home page and the meeting page in a real browser: the New meeting menu by keyboard, a meeting
for later and its copied link, a card's copied invitation, the .ics download; axe-core and
screenshots at 1280 and 390 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.e2e.page_checks import assert_accessible, both_widths
from tests.e2e.room_helpers import orm, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def host_page(browser_users, web_server, make_user):
    user = orm(make_user, email="hana@example.com", display_name="Hana Host", timezone="Europe/Berlin")
    context = browser_users.new()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=web_server.url)
    sign_in(context, web_server, user)
    page = context.new_page()
    page.user = user
    return page


def clipboard(page) -> str:
    return page.evaluate("() => navigator.clipboard.readText()")


def test_new_meeting_menu_and_a_meeting_for_later(host_page, screenshot):
    page = host_page
    page.goto("/meetings/")
    both_widths(page, screenshot, "home-empty")
    page.set_viewport_size({"width": 1280, "height": 800})

    # The menu by keyboard: Enter opens it on the first item, arrows move, Escape gives the focus back.
    page.focus("#new-meeting")
    page.keyboard.press("Enter")
    page.wait_for_selector("#new-meeting-menu:not([hidden])")
    assert page.get_attribute("#new-meeting", "aria-expanded") == "true"
    focused = "() => document.activeElement.textContent.trim()"
    assert page.evaluate(focused).endswith("Create a meeting for later")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused).endswith("Start an instant meeting")
    page.keyboard.press("End")
    assert page.evaluate(focused).endswith("Schedule a meeting")
    page.keyboard.press("Escape")
    page.wait_for_selector("#new-meeting-menu", state="hidden")
    assert page.evaluate("() => document.activeElement.id") == "new-meeting"
    # The join box sits beside the button at 1280 px.
    button, box = page.locator("#new-meeting").bounding_box(), page.locator("#id_code").bounding_box()
    assert abs(button["y"] - box["y"]) < 20 and box["x"] > button["x"]

    page.click("#new-meeting")
    page.click("text=Create a meeting for later")
    page.wait_for_selector("#later-dialog[open]")
    link = page.input_value("#later-link")
    assert "/j/" in link and "?pwd=" in link
    assert_accessible(page, "the meeting-for-later dialog")
    screenshot(page, "later-dialog-1280")
    page.click("#later-dialog [data-copy]")
    page.wait_for_selector(".toast:has-text('Copied')")
    assert clipboard(page) == link
    page.click("#later-dialog [data-dialog-close]")
    page.wait_for_selector("#later-dialog", state="hidden")
    page.wait_for_selector(".meet-card:has-text('No fixed time')")


def test_upcoming_cards_copy_the_invitation_and_the_meeting_page_gives_the_ics(host_page, screenshot):
    from meetings.actions import schedule

    page = host_page
    soon = (timezone.now() + timedelta(minutes=10)).replace(second=0, microsecond=0)
    meeting = orm(schedule.create_meeting, page.user, {"type": 2, "topic": "Design review", "duration": 45,
                                                       "start_time": soon, "timezone": "Europe/Berlin"})
    orm(schedule.create_meeting, page.user, {"type": 8, "topic": "Team standup", "timezone": "Europe/Berlin",
                                             "start_time": soon + timedelta(days=1),
                                             "recurrence": {"type": 2, "weekly_days": "2,3,4,5,6", "end_times": 10}})
    page.goto("/meetings/")
    card = page.locator(f".meet-card[data-meeting-id='{meeting.pk}']")
    cue = card.locator(".meet-cue")
    cue.wait_for()
    assert cue.inner_text() in ("In 9 min", "In 10 min")
    both_widths(page, screenshot, "home-upcoming")
    page.set_viewport_size({"width": 1280, "height": 800})
    card.locator("text=Copy invitation").click()
    page.wait_for_selector(".toast:has-text('Invitation copied')")
    invitation = clipboard(page)
    assert f"Meeting ID: {meeting.pk}" in invitation and "Topic: Design review" in invitation

    card.locator("h3 a").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert page.inner_text("#passcode") == meeting.password
    assert page.inner_text("#sip-uri").startswith(f"sip:{meeting.pk}@")
    both_widths(page, screenshot, "meeting")
    with page.expect_download() as download:
        page.click("#ics-link")
    event = Calendar.from_ical(open(download.value.path(), "rb").read()).walk("VEVENT")[0]
    assert str(event["summary"]) == "Design review" and str(event["dtstart"].params["TZID"]) == "Europe/Berlin"
