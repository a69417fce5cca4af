"""The real-browser tests. Their fixtures (web_server, chromium, browser_users, room_people, ...) are
in tests/support/browser.py, shared with browser tests in other folders; here every test runs as the
harness's Mind application."""

import pytest


@pytest.fixture(autouse=True)
def browser_mind_application(e2e_mind_application):
    return e2e_mind_application
