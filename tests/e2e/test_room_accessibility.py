"""axe-core on the pre-join screen and in the call (no serious or critical violations), with
screenshots of the pre-join screen at 1280 and 390 px."""

import pytest

from tests.e2e.page_checks import assert_accessible, both_widths

pytestmark = pytest.mark.django_db(transaction=True)


def test_pre_join_and_the_call_are_accessible(room_people, screenshot):
    host = room_people.host()
    meeting = room_people.meeting(host)
    host.open(meeting)
    host.wait_for_preview()
    both_widths(host.page, screenshot, "pre-join")
    host.page.set_viewport_size({"width": 1280, "height": 800})
    host.join()
    assert_accessible(host.page, "the call")
