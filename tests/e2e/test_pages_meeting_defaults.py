"""The profile's "Default meeting settings" section in a real browser: a changed default is saved
through accounts.user_settings (the same values GET /v2/users/{userId}/settings shows), the schedule
form starts from it, and the meeting scheduled from that form has it. Screenshots and axe-core at
1280 and 390 px."""

import pytest

from tests.e2e.page_checks import both_widths
from tests.e2e.room_helpers import orm, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def host_user(make_user):
    return orm(make_user, email="dora@example.com", display_name="Dora Defaults")


def test_a_changed_default_is_what_a_new_meeting_inherits(browser_users, web_server, host_user, screenshot):
    from accounts import user_settings
    from meetings.models import Meeting

    context = browser_users.new()
    sign_in(context, web_server, host_user)
    page = context.new_page()
    page.goto("/accounts/profile/")
    assert not page.is_checked("#defaults_waiting_room")
    both_widths(page, screenshot, "meeting-defaults")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.check("#defaults_waiting_room")
    page.check("#defaults_participants_video")
    with page.expect_navigation():
        page.click("text=Save default meeting settings")
    assert page.is_checked("#defaults_waiting_room") and page.is_checked("#defaults_participants_video")
    saved = orm(user_settings.settings_object, host_user)
    assert saved["in_meeting"]["waiting_room"] is True
    assert saved["schedule_meeting"]["participants_video"] is True
    assert saved["schedule_meeting"]["host_video"] is False

    page.goto("/meetings/new")
    assert page.is_checked("#id_waiting_room") and page.is_checked("#id_participant_video")
    assert not page.is_checked("#id_host_video")
    page.fill("#id_topic", "Inherits the defaults")
    page.fill("#id_start", "2031-04-02T10:00")
    page.click("button[type=submit]")
    page.wait_for_url("**/meetings/*/")
    meeting = orm(lambda: Meeting.objects.get(host=host_user, personal=False))
    assert meeting.settings["waiting_room"] is True and meeting.settings["participant_video"] is True
    assert meeting.settings["host_video"] is False


def test_the_personal_room_card_edits_the_room(browser_users, web_server, host_user, screenshot):
    from meetings.models import Meeting

    context = browser_users.new()
    sign_in(context, web_server, host_user)
    page = context.new_page()
    page.goto("/accounts/profile/")
    assert page.input_value("#pmi-link").split("?")[0].endswith(f"/j/{host_user.pmi}")
    page.fill("#pmi_password", "room42")
    page.check("#pmi_mute_upon_entry")
    with page.expect_navigation():
        page.click("text=Save personal room")
    assert page.input_value("#pmi_password") == "room42" and page.is_checked("#pmi_mute_upon_entry")
    room = orm(Meeting.objects.get, pk=host_user.pmi)
    assert room.password == "room42" and room.settings["mute_upon_entry"] is True
    both_widths(page, screenshot, "personal-room")
