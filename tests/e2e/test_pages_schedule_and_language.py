"""The schedule form's recurrence builder in a real browser (weekly on chosen days, the previewed
occurrences, the saved meeting's occurrences), the home page in German (browser language and the
profile's choice), and axe-core with screenshots on the schedule, settings and sign-in pages."""

import pytest

from tests.e2e.page_checks import assert_accessible, both_widths
from tests.e2e.room_helpers import orm, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def host_user(make_user):
    return orm(make_user, email="hana@example.com", display_name="Hana Host")


def signed_in_page(browser_users, web_server, user, **options):
    context = browser_users.new(**options)
    sign_in(context, web_server, user)
    return context.new_page()


def test_schedule_a_weekly_meeting_with_the_builder(browser_users, web_server, host_user, screenshot):
    from meetings.models import Meeting

    page = signed_in_page(browser_users, web_server, host_user, timezone_id="America/New_York")
    page.goto("/meetings/new")
    assert page.input_value("#id_timezone") == "America/New_York"  # the browser's zone
    page.fill("#tz-search", "berlin")
    assert page.input_value("#id_timezone") == "Europe/Berlin"
    page.fill("#id_topic", "Team sync")
    page.fill("#id_start", "2031-04-02T10:00")  # a Wednesday
    page.select_option("#id_repeat", "2")
    page.wait_for_selector("[data-field=weekly_days]:not([hidden]), .weekday-picks")
    page.check("input[name=weekly_days][value='2']", force=True)  # Monday
    page.check("input[name=weekly_days][value='6']", force=True)  # Friday
    page.fill("#id_end_times", "5")
    page.locator("#id_end_times").dispatch_event("change")
    page.wait_for_function("() => document.querySelectorAll('#occurrence-list li').length === 5"
                           " && document.querySelector('#occurrence-list li').textContent.startsWith('April 4')")
    previewed = page.locator("#occurrence-list li").all_inner_texts()
    assert [p.split(",")[0] for p in previewed] == ["April 4", "April 7", "April 11", "April 14", "April 18"]
    both_widths(page, screenshot, "schedule")
    page.click("button[type=submit]")
    page.wait_for_url("**/meetings/*/")
    meeting = orm(lambda: Meeting.objects.get(host=host_user))
    assert meeting.timezone == "Europe/Berlin" and meeting.recurrence["weekly_days"] == "2,6"
    assert page.locator("#occurrences li").count() == 5


def test_the_home_page_in_german(browser_users, web_server, host_user, screenshot):
    page = signed_in_page(browser_users, web_server, host_user, locale="de-DE")
    page.goto("/meetings/")
    assert page.inner_text("#new-meeting").strip().endswith("Neues Meeting")
    assert page.get_attribute("html", "lang") == "de"
    assert page.locator(".tabs a[aria-current=page]").inner_text() == "Anstehend"
    assert page.get_attribute("#id_code", "placeholder") == "Code oder Link eingeben"
    page.click("#new-meeting")
    assert page.locator("#new-meeting-menu").inner_text().count("Meeting") >= 2
    screenshot(page, "home-de-1280")
    assert_accessible(page, "home in German")

    sign_in_page = browser_users.page("/accounts/login/", locale="de-DE")
    assert sign_in_page.inner_text("h1") == "Anmelden"
    assert_accessible(sign_in_page, "sign-in in German")

    # The profile's choice wins over the browser's language.
    english = signed_in_page(browser_users, web_server, host_user, locale="en-US")
    english.goto("/accounts/profile/")
    with english.expect_navigation():
        english.select_option("#id_language", "de")
    assert english.get_attribute("html", "lang") == "de"
    english.goto("/meetings/")
    assert english.inner_text("#new-meeting").strip().endswith("Neues Meeting")


def test_settings_and_sign_in_pages_are_accessible(browser_users, web_server, host_user, screenshot):
    page = signed_in_page(browser_users, web_server, host_user)
    page.goto("/accounts/profile/")
    both_widths(page, screenshot, "settings")
    page.goto("/meetings/previous")
    both_widths(page, screenshot, "previous")
    anonymous = browser_users.page("/accounts/login/")
    both_widths(anonymous, screenshot, "sign-in")


def test_dark_mode_follows_the_system(browser_users, web_server, host_user, screenshot):
    from meetings.actions import schedule

    orm(schedule.create_meeting, host_user, {"type": 3, "topic": "Open office hours"})
    page = signed_in_page(browser_users, web_server, host_user, color_scheme="dark")
    page.goto("/meetings/")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(32, 33, 36)"  # --grey-900
    both_widths(page, screenshot, "home-dark")
    page.goto("/meetings/new")
    both_widths(page, screenshot, "schedule-dark")
