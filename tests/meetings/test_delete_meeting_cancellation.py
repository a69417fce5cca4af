"""DELETE /v2/meetings/{meetingId}?cancel_meeting_reminder=true: the registrants get a cancellation
e-mail with the calendar cancellation (.ics METHOD:CANCEL, the invitation's UID; RECURRENCE-ID for one
occurrence), sent by a Celery task after the commit, once per address."""

import pytest
from icalendar import Calendar

from meetings import calendar, tasks
from meetings.models import Meeting, Registrant

pytestmark = pytest.mark.django_db


def register(meeting_id, email, status=Registrant.Status.APPROVED):
    Registrant.objects.create(meeting_id=meeting_id, email=email, first_name="Reg", status=status)


@pytest.fixture
def offsite(create_meeting):
    created = create_meeting(topic="Offsite", start_time="2031-05-05T09:00:00Z", timezone="Europe/Berlin",
                             settings={"approval_type": 0})
    register(created["id"], "ann@example.com")
    register(created["id"], "pat@example.com", Registrant.Status.PENDING)
    register(created["id"], "den@example.com", Registrant.Status.DENIED)
    return created


def cancel_ics(message):
    part = next(p for p in message.iter_attachments() if p.get_filename() == "cancel.ics")
    calendar_file = Calendar.from_ical(part.get_payload(decode=True))
    return calendar_file, calendar_file.walk("VEVENT")[0]


def test_registrants_get_the_cancellation_with_the_ics(api, offsite, host, smtp_inbox, celery_in_process,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/v2/meetings/{offsite['id']}?cancel_meeting_reminder=true").status_code == 204
    assert sorted(r for _, rcpts, _ in smtp_inbox.messages for r in rcpts) == ["ann@example.com", "pat@example.com"]
    message = smtp_inbox.messages[0][2]
    assert message["Subject"] == "Cancelled: Offsite" and message["Reply-To"] == host.email
    parsed, event = cancel_ics(message)
    assert str(parsed["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == calendar.event_uid(Meeting.objects.get(pk=offsite["id"]))
    invitation = Calendar.from_ical(calendar.ics(Meeting.objects.get(pk=offsite["id"]))).walk("VEVENT")[0]
    assert str(event["uid"]) == str(invitation["uid"])


def test_the_task_sends_each_notice_once(api, offsite, smtp_inbox, celery_in_process, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.delete(f"/v2/meetings/{offsite['id']}?cancel_meeting_reminder=true")
    assert len(smtp_inbox.messages) == 2
    again = tasks.send_cancellation_notices.apply(args=[offsite["id"], ["ann@example.com", "new@example.com"]]).get()
    assert again == 1 and [rcpts for _, rcpts, _ in smtp_inbox.messages[2:]] == [["new@example.com"]]


def test_without_the_flag_nobody_is_told(api, offsite, smtp_inbox, celery_in_process, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/v2/meetings/{offsite['id']}?cancel_meeting_reminder=false").status_code == 204
    assert smtp_inbox.messages == []


def test_nothing_is_queued_when_the_delete_fails(api, offsite, smtp_inbox, celery_in_process, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/v2/meetings/{offsite['id']}?cancel_meeting_reminder=true&occurrence_id=123")
    assert response.status_code == 400 and smtp_inbox.messages == []


def test_one_occurrence_is_cancelled_by_its_recurrence_id(api, create_meeting, smtp_inbox, celery_in_process,
                                                           django_capture_on_commit_callbacks):
    created = create_meeting(type=8, topic="Standup", start_time="2031-01-01T09:00:00Z", timezone="UTC",
                             recurrence={"type": 1, "end_times": 3}, settings={"approval_type": 0})
    register(created["id"], "ann@example.com")
    middle = created["occurrences"][1]
    with django_capture_on_commit_callbacks(execute=True):
        url = f"/v2/meetings/{created['id']}?occurrence_id={middle['occurrence_id']}&cancel_meeting_reminder=true"
        assert api.delete(url).status_code == 204
    [(_, recipients, message)] = smtp_inbox.messages
    assert recipients == ["ann@example.com"] and message["Subject"] == "Cancelled: Standup on 2031-01-02 09:00 UTC"
    parsed, event = cancel_ics(message)
    assert event["recurrence-id"].dt.isoformat() == "2031-01-02T09:00:00+00:00" and "rrule" not in event
