"""A meeting that requires registration, in the browser: an approved registrant joins the call from
their own link; someone unregistered is told to register and offered the registration page."""

import pytest

from tests.e2e.room_helpers import orm

pytestmark = pytest.mark.django_db(transaction=True)


def approved_registration_link(meeting) -> str:
    from meetings.actions import links, registration

    registrant, _ = registration.register(meeting, {"email": "ria@example.org", "first_name": "Ria", "last_name": "Reg"},
                                          approve=True)
    return links.registrant_join_url(registrant)


def test_approved_registrant_joins_and_others_are_told_to_register(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host, approval_type=1)
    host.open(meeting).join()

    link = orm(approved_registration_link, meeting)
    registrant = room_people.guest().open(meeting, "?" + link.split("?", 1)[1])  # the link as emailed
    registrant.join("Ria Reg")
    registrant.wait_for_video_of("Hana Host")
    host.wait_for_video_of("Ria Reg")

    walk_in = room_people.guest().open(meeting).join("Walk In", expect_call=False)
    walk_in.page.wait_for_selector("#register-link:not([hidden])")
    assert "requires registration" in walk_in.page.text_content("#join-error")
    assert walk_in.page.get_attribute("#register-link", "href").endswith(f"/meetings/{meeting.pk}/register")
    assert walk_in.page.locator("#call").is_hidden()
    screenshot(walk_in.page, "registration-required")
