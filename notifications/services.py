"""E-mail notices beyond the meetings app's own: "starts soon" reminders (run by Celery beat every
minute, per person's NotificationSettings), invitations sent from the meeting page (remembered),
and cancellation notices with the calendar cancellation (.ics METHOD:CANCEL) to those invitees and to
the hosts who want them. Every message is sent once: reminders record (user, meeting, start) in the
same transaction as the send, so a failed send is retried and a sent one never repeats."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings import calendar
from meetings.actions import lookups, mail, pushes
from meetings.models import Meeting
from notifications.models import REMINDER_CHOICES, NotificationSettings, PageInvitation, SentReminder

LONGEST_LEAD = max(minutes for minutes, _label in REMINDER_CHOICES)


def _hosts(meeting: Meeting) -> list[User]:
    people = [meeting.host]
    emails = meeting.alternative_host_emails()
    if emails:
        people += list(User.objects.filter(account_id=meeting.account_id, email__in=emails, is_active=True))
    return people


def due_reminders(now=None) -> list[tuple[User, Meeting, datetime]]:
    """(person, meeting, start) whose reminder time has come and whose meeting has not started."""
    now = now or timezone.now()
    due = []
    meetings = Meeting.objects.alive().select_related("host")
    for meeting, start, _occurrence in lookups.upcoming_window(meetings, now, now + timedelta(minutes=LONGEST_LEAD + 1)):
        if start is None or start <= now or meeting.live_instance() is not None:
            continue
        for person in _hosts(meeting):
            lead = NotificationSettings.of(person).reminder_minutes
            if lead and start - timedelta(minutes=lead) <= now:
                due.append((person, meeting, start))
    return due


def send_due_reminders(now=None) -> int:
    """Sends each due reminder once; returns how many were sent now."""
    sent = 0
    for person, meeting, start in due_reminders(now):
        minutes = max(1, math.ceil((start - (now or timezone.now())).total_seconds() / 60))
        try:
            with transaction.atomic():
                SentReminder.objects.create(user=person, meeting_id=meeting.pk, start_time=start)
                mail.reminder_message(meeting, person.email, minutes).send(fail_silently=False)
                pushes.starting_soon(meeting, person, minutes)  # queued: sent after this commit
        except IntegrityError:
            continue  # sent before
        sent += 1
    return sent


def invite_from_page(meeting: Meeting, emails: list[str]) -> None:
    """Invitations from the meeting page: sent (with the .ics) and remembered for cancellations."""
    for email in emails:
        PageInvitation.objects.get_or_create(meeting_id=meeting.pk, email=email)
    mail.send_invitations(meeting, emails)
    pushes.invited(meeting, emails)


def cancellation_recipients(meeting: Meeting) -> list[str]:
    invitees = list(PageInvitation.objects.filter(meeting_id=meeting.pk).values_list("email", flat=True))
    hosts = [p.email for p in _hosts(meeting) if NotificationSettings.of(p).cancellation_notices]
    return list(dict.fromkeys(invitees + hosts))


def send_cancellation(meeting: Meeting) -> int:
    """After a meeting is deleted: a notice to each invitee and host who wants one, with the calendar
    cancellation of its entry (same UID), after the commit."""
    recipients = cancellation_recipients(meeting)
    attachment = calendar.ics(meeting, cancelled=True) if calendar.has_calendar_entry(meeting) else None
    subject = _("Cancelled: %(topic)s") % {"topic": meeting.topic}
    body = _("%(host)s cancelled %(topic)s (meeting ID %(id)s).\n") % {
        "host": meeting.host.get_full_name(), "topic": meeting.topic, "id": meeting.pk}
    messages = []
    for email in recipients:
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email],
                               headers={"X-Confer-Meeting-Id": str(meeting.pk)})
        if attachment:
            message.attach("cancel.ics", attachment, "text/calendar; charset=utf-8; method=CANCEL")
        messages.append(message)
    if messages:
        transaction.on_commit(lambda: [m.send(fail_silently=False) for m in messages])
    return len(messages)


def send_ready_notice(user, what: str, topic: str, path: str) -> None:
    """The hook for the recordings and summaries apps: "your <what> of <topic> is ready" with a link
    to `path` on this site, sent after the commit. `what` is already translated by the caller
    (e.g. _("recording"), _("summary"))."""
    subject = _("Your %(what)s of %(topic)s is ready") % {"what": what, "topic": topic}
    body = _("Your %(what)s of %(topic)s is ready:\n%(url)s\n") % {
        "what": what, "topic": topic, "url": settings.SITE_ROOT + path}
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    transaction.on_commit(lambda: message.send(fail_silently=False))
