"""The summary panel in Chromium: the checklist ticks without a submit button, the question form answers,
regenerating shows progress until the worker has written the new summary."""

import pytest

from tests.conftest import wait_until
from tests.e2e.room_helpers import orm, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("e2e_mind_application")]


def test_summary_panel(celery_worker, browser_users, web_server, summarised, host, screenshot):
    summary = orm(summarised)
    context = browser_users.new()
    sign_in(context, web_server, host)
    page = context.new_page()
    page.goto(f"/meetings/previous/{summary.instance.pk}")
    panel = page.locator("#summary")
    assert panel.locator("h3").inner_text() == "Meeting summary for Website relaunch"
    # The checkbox sits beside its step (the page's styles apply at desktop width).
    assert page.evaluate("() => getComputedStyle(document.querySelector('.summary-steps label')).display") == "flex"
    first_step = panel.locator(".summary-steps input[type=checkbox]").first
    assert not first_step.is_checked()
    with page.expect_navigation():
        first_step.check()  # submits its form on change; the page comes back with it ticked
    assert page.locator(".summary-steps input[type=checkbox]").first.is_checked()
    summary.refresh_from_db()
    assert summary.done_steps == [0]
    screenshot(page, "summary")

    page.fill("#id_q", "What was agreed about the launch date?")
    page.click("#ask button")
    page.wait_for_selector("#ask .answer")
    assert "march twenty fourth" in page.locator("#ask .answer").inner_text()

    page.select_option(".summary-regenerate select[name=style]", "daily_standup")
    page.click(".summary-regenerate button")
    # The worker writes the new summary; the page polls and shows it by itself.
    page.wait_for_selector(".summary-topics dt", timeout=60_000)
    wait_until(lambda: page.locator(".summary-topics dt").first.inner_text() == "Hana Host", timeout=60)
    screenshot(page, "regenerated")


def test_assistant_made_and_run_in_the_browser(celery_worker, browser_users, web_server, summarised, host, screenshot):
    summary = orm(summarised, meeting_type=3)
    context = browser_users.new()
    sign_in(context, web_server, host)
    page = context.new_page()
    page.goto("/meetings/assistants/")
    page.fill("input[name=name] >> nth=-1", "Risks")
    page.fill("textarea[name=instructions] >> nth=-1", "List the risks raised")
    page.click("text=Create")
    page.wait_for_selector("#assistant-1, .assistant")
    screenshot(page, "assistants")
    page.goto(f"/meetings/previous/{summary.instance.pk}")
    page.click("#assistants button")
    page.wait_for_selector(".assistant-run[data-state=completed]", timeout=60_000)
    answer = page.locator(".assistant-answer").inner_text()
    assert answer.startswith("Risks and concerns raised:")
    assert "march tenth is tight" in answer
    page.click("text=Series digest")
    page.wait_for_selector("h1:has-text('Series digest')")
    assert "Gita Guest will tell the newsletter team" in page.content()
    screenshot(page, "digest")
