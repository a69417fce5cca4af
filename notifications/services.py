"""E-mail notices beyond the meetings app's own: "starts soon" reminders (run by Celery beat every
minute, per person's NotificationSettings), invitations sent from the meeting page (remembered), and
who gets a cancellation notice (those invitees and the hosts who want one; the notice itself, with the
calendar cancellation, is sent by the meetings app: meetings.actions.mail, meetings.tasks). Every message is sent once: reminders record (user, meeting, start) in the
same transaction as the send, so a failed send is retried and a sent one never repeats."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from meetings.actions import lookups, mail
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
        except IntegrityError:
            continue  # sent before
        sent += 1
    return sent


def invite_from_page(meeting: Meeting, emails: list[str]) -> None:
    """Invitations from the meeting page: sent (with the .ics) and remembered for cancellations."""
    for email in emails:
        PageInvitation.objects.get_or_create(meeting_id=meeting.pk, email=email)
    mail.send_invitations(meeting, emails)


def cancellation_recipients(meeting: Meeting, *, invitees: bool = True) -> list[str]:
    """Who gets the cancellation notice of a meeting deleted from its page: the people invited from
    the page (when the host chose to tell them) and the hosts who want cancellation notices."""
    people = list(PageInvitation.objects.filter(meeting_id=meeting.pk).values_list("email", flat=True)) if invitees else []
    hosts = [p.email for p in _hosts(meeting) if NotificationSettings.of(p).cancellation_notices]
    return list(dict.fromkeys(people + hosts))


READY_SUBJECTS = {"recording": gettext_lazy("Your recording of %(topic)s is ready"),
                  "summary": gettext_lazy("Your summary of %(topic)s is ready")}
READY_BODIES = {"recording": gettext_lazy("Your recording of %(topic)s is ready. Watch, share or download it:\n%(url)s\n"),
                "summary": gettext_lazy("Your summary of %(topic)s is ready:\n%(url)s\n")}


def send_ready_notice(user, kind: str, topic: str, path: str) -> bool:
    """The one "your recording / summary is ready" e-mail (kind "recording" or "summary"), with a
    link to `path` on this site, sent after the commit unless the person turned these notices off
    on the settings page. A failed send is logged, not raised (the recording or summary is stored
    either way). Returns whether a notice was queued."""
    if not user.email or not NotificationSettings.of(user).ready_notices:
        return False
    values = {"topic": topic, "url": settings.SITE_ROOT + path}
    message = EmailMessage(str(READY_SUBJECTS[kind]) % values, str(READY_BODIES[kind]) % values,
                           settings.DEFAULT_FROM_EMAIL, [user.email])
    transaction.on_commit(lambda: message.send(fail_silently=False), robust=True)
    return True
