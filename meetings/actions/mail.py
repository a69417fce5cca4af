"""Email notices of the meetings app, sent once the transaction that caused them commits.

Invitations carry the meeting's calendar entry (`invite.ics`, meetings.calendar); the transport is
Django's EMAIL_BACKEND (console by default, SMTP by the EMAIL_* settings in README)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from meetings import calendar
from meetings.actions.links import join_url
from meetings.models import Meeting
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
