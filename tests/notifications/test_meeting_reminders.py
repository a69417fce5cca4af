""""Starts in 10 minutes" e-mails: sent by the beat task to the host and alternative hosts whose
reminder time has come, once each (a second run sends nothing), per person's choice (off, or another
lead time), through a real SMTP server; a failed send is retried later rather than lost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.actions import schedule
from notifications import services, tasks
from notifications.models import NotificationSettings, SentReminder

pytestmark = pytest.mark.django_db


def meeting_at(host, minutes: float, **extra):
    start = (timezone.now() + timedelta(minutes=minutes)).replace(microsecond=0)
    return schedule.create_meeting(host, {"type": 2, "topic": "Design review", "start_time": start, "duration": 30, **extra})


def test_the_host_gets_one_reminder_ten_minutes_before(host, smtp_inbox):
    meeting = meeting_at(host, 9.5)
    meeting_at(host, 25)  # not yet
    assert tasks.send_meeting_reminders.apply().get() == 1
    assert tasks.send_meeting_reminders.apply().get() == 0  # idempotent
    [(_, recipients, message)] = smtp_inbox.messages
    assert recipients == [host.email]
    assert message["Subject"] == "Starts in 10 minutes: Design review"
    assert message["X-Confer-Meeting-Id"] == str(meeting.pk)
    assert f"/j/{meeting.pk}?pwd=" in message.get_body(("plain",)).get_content()


def test_alternative_hosts_and_each_persons_choice(host, make_user, smtp_inbox):
    early = make_user(email="early@example.com", account=host.account)
    quiet = make_user(email="quiet@example.com", account=host.account)
    NotificationSettings.objects.create(user=early, reminder_minutes=30)
    NotificationSettings.objects.create(user=quiet, reminder_minutes=0)
    meeting_at(host, 20, settings={"alternative_hosts": "early@example.com;quiet@example.com"})
    services.send_due_reminders()
    assert [rcpts for _, rcpts, _ in smtp_inbox.messages] == [["early@example.com"]]  # host: 10 min, not yet
    assert smtp_inbox.messages[0][2]["Subject"] == "Starts in 20 minutes: Design review"


def test_a_recurring_meeting_is_reminded_per_occurrence(host, smtp_inbox):
    start = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    schedule.create_meeting(host, {"type": 8, "topic": "Standup", "start_time": start, "timezone": "UTC",
                                   "recurrence": {"type": 1, "end_times": 3}})
    services.send_due_reminders()
    services.send_due_reminders(now=timezone.now() + timedelta(days=1))
    assert len(smtp_inbox.messages) == 2
    assert SentReminder.objects.filter(user=host).count() == 2


def test_a_failed_send_is_not_recorded_and_goes_out_next_time(host, settings, smtp_inbox):
    meeting_at(host, 8)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens there
    with pytest.raises(OSError):
        services.send_due_reminders()
    assert not SentReminder.objects.exists()
    settings.EMAIL_PORT = port
    assert services.send_due_reminders() == 1 and len(smtp_inbox.messages) == 1


def test_the_beat_runs_the_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-meeting-reminders"]
    assert entry["task"] == tasks.send_meeting_reminders.name and entry["schedule"] == 60.0
