"""Invite people by e-mail from the meeting page: one message each through a real SMTP server
(aiosmtpd on loopback), with the invitation text, the join link and the meeting's .ics."""

import pytest
from django.test import Client
from icalendar import Calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(host):
    client = Client()
    client.force_login(host)
    return client


def test_invitations_arrive_with_the_ics(browser, host, create_meeting, smtp_inbox, django_capture_on_commit_callbacks):
    created = create_meeting(topic="Planning", type=8, start_time="2031-03-03T08:00:00Z", timezone="Europe/Berlin",
                             recurrence={"type": 1, "end_times": 3})
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/meetings/{created['id']}/invite", {"emails": "ann@example.com, Bob@Example.com\nann@example.com"})
    assert response.status_code == 302 and response["Location"] == f"/meetings/{created['id']}/"
    assert sorted(rcpt for _, rcpts, _ in smtp_inbox.messages for rcpt in rcpts) == ["ann@example.com", "bob@example.com"]
    sender, _, message = smtp_inbox.messages[0]
    assert message["Subject"] == "Invitation: Planning" and message["Reply-To"] == host.email
    assert message["X-Confer-Meeting-Id"] == str(created["id"]) and "bob@example.com" not in message["To"].lower() \
        or "ann@example.com" not in message["To"].lower()
    body = message.get_body(("plain",)).get_content()
    assert created["join_url"] in body and f"Meeting ID: {created['id']}" in body
    attachment = next(part for part in message.iter_attachments() if part.get_filename() == "invite.ics")
    assert attachment.get_content_type() == "text/calendar"
    event = Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")[0]
    assert event["rrule"]["FREQ"] == ["DAILY"] and event["rrule"]["COUNT"] == [3]
    assert str(event["dtstart"].params["TZID"]) == "Europe/Berlin"


def test_bad_addresses_are_shown_beside_the_field(browser, create_meeting, smtp_inbox, django_capture_on_commit_callbacks):
    created = create_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/meetings/{created['id']}/invite", {"emails": "ann@example.com not-an-address"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not an e-mail address: not-an-address" in page and 'aria-invalid="true"' in page
    assert smtp_inbox.messages == []


def test_the_hourly_invitation_budget_applies(browser, settings, create_meeting, smtp_inbox,
                                              django_capture_on_commit_callbacks):
    settings.INVITE_EMAILS_PER_HOUR = 2
    created = create_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/meetings/{created['id']}/invite", {"emails": "a@example.com b@example.com c@example.com"})
    assert response.status_code == 400 and "meeting invitations" in response.content.decode()
    assert smtp_inbox.messages == []


def test_invite_needs_csrf_and_ownership(host, create_meeting, make_user):
    created = create_meeting()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(host)
    assert strict.post(f"/meetings/{created['id']}/invite", {"emails": "a@example.com"}).status_code == 403
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.post(f"/meetings/{created['id']}/invite", {"emails": "a@example.com"}).status_code == 404
