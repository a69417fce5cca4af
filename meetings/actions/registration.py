"""Registration for meetings that require it (settings.approval_type 0 = approved at once, 1 = a host
approves; 2 = no registration): registering, approving, denying, cancelling and deleting registrants.

Registrants get their own join link (`links.registrant_join_url`), which admits them while their
registration is approved (`admission`). Emails go out after commit: the confirmation when someone
registers (registrants_confirmation_email; with the join link when approved at once, else that it
awaits approval) and the join link when a host approves them (registrants_email_notification).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework import status

from config.api import CANNOT_ACCESS_MEETING, ZoomAPIError, invalid_parameter, not_found
from meetings.actions.links import registrant_join_url
from meetings.actions.mail import send_after_commit
from meetings.models import Meeting, Occurrence, Registrant

REGISTRANT_NOT_FOUND = 3079  # Zoom: "Registrant not found"
DETAIL_FIELDS = ("address", "city", "state", "zip", "country", "phone", "comments", "industry", "job_title",
                 "no_of_employees", "org", "purchasing_time_frame", "role_in_purchase_process", "language",
                 "custom_questions")


def require_registration(meeting: Meeting) -> None:
    if not meeting.requires_registration:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING,
                           f"Registration has not been enabled for this meeting: {meeting.pk}.")


def registration_closed(meeting: Meeting) -> bool:
    """close_registration: registration closes once the meeting (its last occurrence) has ended."""
    now = timezone.now()
    if meeting.type == Meeting.Type.SCHEDULED and meeting.start_time:
        return meeting.start_time + timedelta(minutes=meeting.duration) < now
    if meeting.type == Meeting.Type.RECURRING_FIXED_TIME:
        return not meeting.occurrences.filter(status=Occurrence.Status.AVAILABLE, start_time__gte=now).exists()
    return False


def occurrences_to_register(meeting: Meeting, occurrence_ids: list[int] | None) -> list[int]:
    """What a registration covers: registration_type 1 (or a non-recurring meeting) = all; 2 and 3 =
    the occurrences given (each must exist), else all."""
    if meeting.type != Meeting.Type.RECURRING_FIXED_TIME or meeting.setting("registration_type") == 1:
        return []
    wanted = sorted(set(occurrence_ids or []))
    existing = set(meeting.occurrences.filter(status=Occurrence.Status.AVAILABLE, occurrence_id__in=wanted)
                   .values_list("occurrence_id", flat=True))
    missing = [o for o in wanted if o not in existing]
    if missing:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING, f"Invalid occurrence_id: {missing[0]}.",
                           field="occurrence_ids")
    return wanted


@transaction.atomic
def register(meeting: Meeting, data: dict, *, occurrence_ids: list[int] | None = None,
             approve: bool | None = None) -> tuple[Registrant, bool]:
    """Registers `data` (email, first_name, last_name, the other answers) for `meeting`; the same
    email again returns the existing registration (its occurrences widened). `approve` overrides
    approval_type (the API's auto_approve). Returns (registrant, created)."""
    require_registration(meeting)
    if meeting.setting("close_registration") and registration_closed(meeting):
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING, "Registration for this meeting is closed.")
    covered = occurrences_to_register(meeting, occurrence_ids)
    existing = meeting.registrants.select_for_update().filter(email__iexact=data["email"]).first()
    if existing is not None:
        if existing.occurrence_ids and covered:
            existing.occurrence_ids = sorted(set(existing.occurrence_ids) | set(covered))
            existing.save(update_fields=["occurrence_ids"])
        return existing, False
    approved = approve if approve is not None else meeting.setting("approval_type") == 0
    try:
        with transaction.atomic():
            registrant = Registrant.objects.create(
                meeting=meeting, email=data["email"].lower(), first_name=data["first_name"],
                last_name=data.get("last_name", ""), occurrence_ids=covered,
                details={key: data[key] for key in DETAIL_FIELDS if key in data},
                status=Registrant.Status.APPROVED if approved else Registrant.Status.PENDING)
    except IntegrityError:  # registered at the same moment: the same registration
        return meeting.registrants.get(email__iexact=data["email"]), False
    if meeting.setting("registrants_confirmation_email"):
        if approved:
            _send_join_link(registrant, f"Registration confirmed: {meeting.topic}")
        else:
            send_after_commit([registrant.email], f"Registration received: {meeting.topic}",
                              f"Hello {registrant.first_name},\n\nYou registered for {meeting.topic}. The host will "
                              "approve your registration; you will then receive your join link.\n")
    return registrant, True


def _send_join_link(registrant: Registrant, subject: str) -> None:
    meeting = registrant.meeting
    send_after_commit([registrant.email], subject,
                      f"Hello {registrant.first_name},\n\nYou can join {meeting.topic} (meeting {meeting.pk}) with "
                      f"your own link:\n\n{registrant_join_url(registrant)}\n\nPlease do not share it.\n")


STATUS_ACTIONS = {"approve": Registrant.Status.APPROVED, "deny": Registrant.Status.DENIED,
                  "cancel": Registrant.Status.DENIED}


@transaction.atomic
def set_status(meeting: Meeting, action: str, people: list[dict]) -> int:
    """approve / deny / cancel the registrants named by id or email (all pending ones when none is
    named, for approve and deny). Approved people get their join link (registrants_email_notification)."""
    require_registration(meeting)
    registrants = meeting.registrants.select_for_update()
    if people:
        ids = [p["id"] for p in people if p.get("id")]
        emails = [p["email"].lower() for p in people if p.get("email")]
        registrants = registrants.filter(Q(pk__in=ids) | Q(email__in=emails))
    elif action == "cancel":
        raise invalid_parameter("registrants: Name the registrants whose registration to cancel.")
    else:
        registrants = registrants.filter(status=Registrant.Status.PENDING)
    changed = 0
    for registrant in registrants:
        if action == "cancel" and registrant.status != Registrant.Status.APPROVED:
            continue
        new_status = STATUS_ACTIONS[action]
        if registrant.status == new_status:
            continue
        registrant.status = new_status
        registrant.save(update_fields=["status"])
        changed += 1
        if new_status == Registrant.Status.APPROVED and meeting.setting("registrants_email_notification"):
            _send_join_link(registrant, f"Registration approved: {meeting.topic}")
    return changed


def get_registrant(meeting: Meeting, registrant_id: str) -> Registrant:
    registrant = meeting.registrants.filter(pk=registrant_id).first()
    if registrant is None:
        raise not_found(REGISTRANT_NOT_FOUND, f"Registrant not found: {registrant_id[:64]}.")
    return registrant


@transaction.atomic
def delete_registrant(meeting: Meeting, registrant_id: str, occurrence_id: int | None = None) -> None:
    """Deletes a registration (or only its registration for one occurrence)."""
    registrant = get_registrant(meeting, registrant_id)
    if occurrence_id is not None and registrant.occurrence_ids:
        registrant.occurrence_ids = [o for o in registrant.occurrence_ids if o != occurrence_id]
        if registrant.occurrence_ids:
            registrant.save(update_fields=["occurrence_ids"])
            return
    registrant.delete()
