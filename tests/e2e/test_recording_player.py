"""The recording player in a real browser: it plays the video, clicking a transcript line seeks
there and highlights it; a shared link opens the player without an account (passcode asked)."""

import pytest

from tests.e2e.room_helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CURRENT_TIME = "document.getElementById('rec-video').currentTime"
# Predicates are functions, not expression strings: Playwright evals a string in the page, which the
# pages' Content-Security-Policy (no 'unsafe-eval') refuses.


def test_click_a_transcript_line_and_the_video_jumps_there(browser_users, web_server, make_user, make_recording,
                                                           screenshot):
    host = make_user(display_name="Hana Host")
    recording = make_recording(host)
    context = browser_users.new()
    sign_in(context, web_server, host)
    page = context.new_page()
    page.goto(f"/recordings/{recording.pk}/")
    page.wait_for_function("() => document.getElementById('rec-video').readyState >= 1", timeout=30000)
    page.evaluate("document.getElementById('rec-video').play()")
    page.wait_for_function(f"() => {CURRENT_TIME} > 0.2", timeout=30000)  # it plays

    page.click(".rec-cue:has-text('Two seconds in')")
    page.wait_for_function(f"() => {CURRENT_TIME} >= 2.0 && {CURRENT_TIME} < 3.0", timeout=10000)
    page.wait_for_selector(".rec-cue.current:has-text('Two seconds in')", timeout=10000)
    screenshot(page, "player")

    page.fill("#rec-search", "hello")
    assert page.locator("#rec-cues li:visible").count() == 1

    page.goto("/recordings/")
    page.wait_for_selector(f"a[href='/recordings/{recording.pk}/'] img")
    screenshot(page, "list")


def test_shared_link_plays_for_someone_without_an_account(browser_users, web_server, make_user, make_recording):
    recording = make_recording(make_user())
    page = browser_users.page(f"/rec/share/{recording.share_token}")
    page.fill("#passcode", recording.password)
    page.click("button[type=submit]")
    page.wait_for_function("() => document.getElementById('rec-video').readyState >= 1", timeout=30000)
    assert page.locator(".rec-cue").count() == 2
