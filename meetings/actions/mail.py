"""Email notices of the meetings app, sent once the transaction that caused them commits.

Invitations carry the meeting's calendar entry (`invite.ics`, meetings.calendar); the transport is
Django's EMAIL_BACKEND (console by default, SMTP by the EMAIL_* settings in README).

Cancellation notices carry the calendar cancellation (`cancel.ics`, METHOD:CANCEL, the invitation's
UID; RECURRENCE-ID for one occurrence). They are sent by a Celery task after the commit
(meetings.tasks.send_cancellation_notices, queued by schedule.delete_meeting), once per address."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from meetings import calendar
from meetings.actions.links import join_url
from meetings.models import Meeting, Occurrence, Registrant
from meetings.representations import invitation_text


def send_after_commit(recipients: list[str], subject: str, body: str) -> None:
    recipients = [r for r in recipients if r]
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients,
                                                fail_silently=False))


def _send_each(messages: list[EmailMessage]) -> None:
    for message in messages:
        message.send(fail_silently=False)


def send_invitations(meeting: Meeting, emails: list[str]) -> None:
    """One invitation per address (nobody sees the others' addresses): the invitation text, the join
    link and, for a meeting with a time, its .ics. Reply-To is the host."""
    body = invitation_text(meeting) + "\n"
    attachment = calendar.ics(meeting) if calendar.has_calendar_entry(meeting) else None
    subject = _("Invitation: %(topic)s") % {"topic": meeting.topic}
    messages = []
    for email in emails:
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email], reply_to=[meeting.host.email],
                               headers={"X-Confer-Meeting-Id": str(meeting.pk)})
        if attachment:
            message.attach("invite.ics", attachment, "text/calendar; charset=utf-8; method=PUBLISH")
        messages.append(message)
    if messages:
        transaction.on_commit(lambda: _send_each(messages))


def reminder_message(meeting: Meeting, email: str, minutes: int) -> EmailMessage:
    subject = _("Starts in %(minutes)s minutes: %(topic)s") % {"minutes": minutes, "topic": meeting.topic}
    body = _("%(topic)s starts in %(minutes)s minutes.\n\nJoin: %(url)s\n") % {
        "topic": meeting.topic, "minutes": minutes, "url": join_url(meeting)}
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email],
                        headers={"X-Confer-Meeting-Id": str(meeting.pk)})


def registrant_emails(meeting: Meeting, occurrence: Occurrence | None = None) -> list[str]:
    """Who registered (approved or waiting for approval) for the meeting, or for that occurrence."""
    registrants = meeting.registrants.exclude(status=Registrant.Status.DENIED)
    return [r.email for r in registrants
            if occurrence is None or not r.occurrence_ids or occurrence.occurrence_id in map(int, r.occurrence_ids)]


def cancellation_message(meeting: Meeting, email: str, occurrence: Occurrence | None = None) -> EmailMessage:
    if occurrence is not None:
        when = occurrence.start_time.strftime("%Y-%m-%d %H:%M UTC")
        subject = _("Cancelled: %(topic)s on %(when)s") % {"topic": meeting.topic, "when": when}
        body = _("%(host)s cancelled the occurrence of %(topic)s on %(when)s (meeting ID %(id)s).\n") % {
            "host": meeting.host.get_full_name(), "topic": meeting.topic, "when": when, "id": meeting.pk}
    else:
        subject = _("Cancelled: %(topic)s") % {"topic": meeting.topic}
        body = _("%(host)s cancelled %(topic)s (meeting ID %(id)s).\n") % {
            "host": meeting.host.get_full_name(), "topic": meeting.topic, "id": meeting.pk}
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email], reply_to=[meeting.host.email],
                           headers={"X-Confer-Meeting-Id": str(meeting.pk)})
    if calendar.has_calendar_entry(meeting):
        message.attach("cancel.ics", calendar.ics(meeting, cancelled=True, occurrence=occurrence),
                       "text/calendar; charset=utf-8; method=CANCEL")
    return message
