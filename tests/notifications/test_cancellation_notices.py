"""Deleting a meeting from its page notifies the people invited from the page and the hosts who
want cancellation notices, with the calendar cancellation (.ics METHOD:CANCEL, same UID)."""

from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.test import Client
from icalendar import Calendar

from meetings import calendar
from meetings.actions import schedule
from meetings.models import Registrant
from notifications.models import NotificationSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(host):
    client = Client()
    client.force_login(host)
    return client


def test_invitees_and_the_host_get_the_cancellation(browser, host, smtp_inbox, celery_in_process,
                                                    django_capture_on_commit_callbacks):
    meeting = schedule.create_meeting(host, {"type": 2, "topic": "Offsite", "start_time": datetime(2031, 5, 5, 9, tzinfo=dt_timezone.utc),
                                             "timezone": "Europe/Berlin"})
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/meetings/{meeting.pk}/invite", {"emails": "ann@example.com"})
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(f"/meetings/{meeting.pk}/delete", {"notify": "on"}).status_code == 302
    assert sorted(r for _, rcpts, _ in smtp_inbox.messages for r in rcpts) == ["ann@example.com", host.email]
    message = smtp_inbox.messages[0][2]
    assert message["Subject"] == "Cancelled: Offsite"
    attachment = next(part for part in message.iter_attachments() if part.get_filename() == "cancel.ics")
    parsed = Calendar.from_ical(attachment.get_payload(decode=True))
    event = parsed.walk("VEVENT")[0]
    assert str(parsed["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == calendar.event_uid(meeting)


def test_a_host_who_opted_out_gets_nothing(browser, host, smtp_inbox, celery_in_process, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=host, cancellation_notices=False)
    meeting = schedule.create_meeting(host, {"type": 2, "topic": "Offsite", "start_time": datetime(2031, 5, 5, 9, tzinfo=dt_timezone.utc)})
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/meetings/{meeting.pk}/delete")
    assert smtp_inbox.messages == []


def test_the_host_may_choose_not_to_tell_the_invitees(browser, host, smtp_inbox, celery_in_process,
                                                      django_capture_on_commit_callbacks):
    meeting = schedule.create_meeting(host, {"type": 2, "topic": "Offsite", "start_time": datetime(2031, 5, 5, 9, tzinfo=dt_timezone.utc)})
    Registrant.objects.create(meeting=meeting, email="reg@example.com", first_name="Reg", status=Registrant.Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/meetings/{meeting.pk}/invite", {"emails": "ann@example.com"})
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(f"/meetings/{meeting.pk}/delete").status_code == 302  # the box unchecked
    assert [rcpts for _, rcpts, _ in smtp_inbox.messages] == [[host.email]]


def test_registrants_are_told_from_the_page_too(browser, host, smtp_inbox, celery_in_process,
                                                django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=host, cancellation_notices=False)
    meeting = schedule.create_meeting(host, {"type": 2, "topic": "Offsite", "start_time": datetime(2031, 5, 5, 9, tzinfo=dt_timezone.utc)})
    Registrant.objects.create(meeting=meeting, email="reg@example.com", first_name="Reg", status=Registrant.Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"/meetings/{meeting.pk}/delete", {"notify": "on"})
    assert [rcpts for _, rcpts, _ in smtp_inbox.messages] == [["reg@example.com"]]


def test_the_page_offers_the_choice(browser, host):
    meeting = schedule.create_meeting(host, {"type": 2, "topic": "Offsite", "start_time": datetime(2031, 5, 5, 9, tzinfo=dt_timezone.utc)})
    page = browser.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'name="notify" checked' in page
