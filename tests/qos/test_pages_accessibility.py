"""The quality pages in a real browser: no serious axe-core violation and no sideways scroll at
1280 and 390 px, with a live meeting whose participants reported."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.page_checks import both_widths
from tests.e2e.room_helpers import orm, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_quality_pages(browser_users, web_server, make_user, live_meeting, raw_sample, screenshot):
    owner = orm(make_user, email="olga@example.com", display_name="Olga Owner", role="owner")
    call = orm(live_meeting, owner, names=("Olga Owner", "Bob Builder", "Cleo"))
    now = timezone.now()

    def samples():
        for minute in range(4):
            for index, person in enumerate(call.people[:2]):
                raw_sample(person, now - timedelta(minutes=minute), loss_pct=index * 4.0 + minute,
                           bitrate_bps=400_000 + 50_000 * minute)
    orm(samples)
    context = browser_users.new()
    sign_in(context, web_server, owner)
    page = context.new_page()

    page.goto("/quality/")
    assert page.locator("#live-meetings a").count() == 1
    both_widths(page, screenshot, "quality-live")
    page.click("#live-meetings a")
    page.wait_for_selector(".qos-person")
    assert page.locator(".qos-person").count() == 3 and page.locator(".qos-chart svg").count() == 10
    both_widths(page, screenshot, "quality-meeting")
