"""Push notices of the meetings domain (the push app carries them: `push.services.notify`).

Each is queued in the caller's transaction and sent by Celery after the commit, from the one action
that does the thing:

- `starting_soon`: the "starts in N minutes" reminder, with the e-mail of the same reminder
  (`notifications.services.send_due_reminders`: the same people, the same once-per-start record);
- `invited`: people invited by e-mail (`notifications.services.invite_from_page`,
  `live.invite_by_email`) who have an account here with that address verified;
- `admitted`: the host let a signed-in person in from the waiting room (`admission.admit_waiting`);
- `call_started` / `call_ended`: VoIP call events (`live.start_instance` / `live.end_instance`) so an
  iOS client can ring through CallKit and end the call it shows (and with it picture-in-picture).
  A call rings the meeting's invitees from its own account: alternative hosts and `meeting_invitees`
  (not the host who started it; nobody outside the account, whom any host could otherwise ring at
  will); its end reaches those and every signed-in person who was in the instance.

Payloads carry ids and the topic, never a passcode or a join link with one: they pass through Apple's
and Google's servers. The client asks the API for the rest with its own token.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from meetings.models import Instance, Meeting, Participant
from push.notices import Notice
from push.services import notify

User = get_user_model()
CALL_RING_SECONDS = 60  # a call event not delivered within a minute is stale (the same collapse id: an end replaces its ring)


def _meeting_data(meeting: Meeting) -> dict[str, str]:
    return {"meeting_id": str(meeting.pk), "topic": meeting.topic}


def _verified_users(emails, **filters) -> list[int]:
    wanted = {email.strip().lower() for email in emails if email}
    if not wanted:
        return []
    return list(User.objects.filter(email__in=wanted, email_verified=True, is_active=True, **filters)
                .values_list("pk", flat=True))


def starting_soon(meeting: Meeting, user, minutes: int) -> int:
    return notify([user.pk], Notice(
        event="meeting.starting_soon",
        title=_("Starts in %(minutes)s minutes") % {"minutes": minutes},
        body=meeting.topic,
        data={**_meeting_data(meeting), "minutes": str(minutes)},
        collapse_id=f"meeting-{meeting.pk}-soon", thread_id=f"meeting-{meeting.pk}", ttl=minutes * 60))


def invited(meeting: Meeting, emails: list[str], *, live: bool = False) -> int:
    host = meeting.host.get_full_name() or meeting.host.email
    users = [pk for pk in _verified_users(emails) if pk != meeting.host_id]
    title = _("%(host)s invites you to join now") % {"host": host} if live else \
        _("%(host)s invited you") % {"host": host}
    return notify(users, Notice(
        event="meeting.invited", title=title, body=meeting.topic,
        data={**_meeting_data(meeting), "host_name": host, "live": "true" if live else "false"},
        thread_id=f"meeting-{meeting.pk}", ttl=3600 if live else 7 * 86400))


def admitted(participant: Participant) -> int:
    if participant.user_id is None:
        return 0
    meeting = participant.meeting
    return notify([participant.user_id], Notice(
        event="meeting.admitted", title=_("The host let you in"), body=meeting.topic,
        data={**_meeting_data(meeting), "participant_id": participant.key},
        collapse_id=f"meeting-{meeting.pk}-admitted", thread_id=f"meeting-{meeting.pk}", ttl=300))


def invitees(meeting: Meeting) -> list[int]:
    """Users of the meeting's account it invites: alternative hosts and meeting_invitees (not the host)."""
    emails = list(meeting.alternative_host_emails())
    emails += [item.get("email", "") for item in meeting.settings.get("meeting_invitees") or [] if isinstance(item, dict)]
    return [pk for pk in _verified_users(emails, account_id=meeting.account_id) if pk != meeting.host_id]


def _call_data(instance: Instance) -> dict[str, str]:
    meeting = instance.meeting
    return {**_meeting_data(meeting), "meeting_uuid": instance.uuid,
            "host_name": meeting.host.get_full_name() or meeting.host.email}


def call_started(instance: Instance) -> int:
    return notify(invitees(instance.meeting), Notice(
        event="call.incoming", data=_call_data(instance), call=True,
        collapse_id=f"call-{instance.uuid}"[:64], ttl=CALL_RING_SECONDS))


def call_ended(instance: Instance, participant_users: list[int]) -> int:
    users = set(invitees(instance.meeting)) | set(participant_users)
    return notify(users, Notice(
        event="call.ended", data=_call_data(instance), call=True,
        collapse_id=f"call-{instance.uuid}"[:64], ttl=CALL_RING_SECONDS))
