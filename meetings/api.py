"""The Zoom-compatible Meeting API under /v2 (thin views over meetings.actions).

Bodies and status codes follow docs/openapi/reference/zoom-meeting-api.openapi.json; the seed's
extra operations are described in docs/openapi/extra.openapi.json. Errors are Zoom's
`{"code", "message"}` (config.api). Unknown query parameters are ignored.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.http import JsonResponse
from django.utils import timezone
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import has_admin_scope, token_scopes
from accounts.services import audit, client_ip
from config.api import invalid_parameter, page_size_param, paginate, read_page_request
from meetings import representations, validation
from meetings.actions import callout, links, listing, live, lookups, registration, schedule
from meetings.models import Instance, Meeting, MeetingQuerySet, Participant
from meetings.permissions import AnyOfScopes

READ, WRITE = "meeting:read", "meeting:write"
LIST_TYPES = MeetingQuerySet.LIST_TYPES


def bool_param(request, name: str, default: bool = False) -> bool:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise invalid_parameter(f"{name}: Must be true or false.")


def date_param(request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid_parameter(f"{name}: Must be a date such as 2024-03-01.") from None


RECORDING_AUDIT = {"recording.start": "meeting.recording_started", "recording.stop": "meeting.recording_stopped",
                   "recording.pause": "meeting.recording_paused", "recording.resume": "meeting.recording_resumed"}


class ZoomView(APIView):
    """Reads the caller, their admin scope, and the JSON body for the views below."""

    admin_scope = READ

    @property
    def caller(self):
        return self.request.user

    def admin(self, scope: str | None = None) -> bool:
        return has_admin_scope(self.request, scope or self.admin_scope)

    def body(self) -> dict:
        data = self.request.data
        if not isinstance(data, dict):
            raise invalid_parameter("body: The request body must be a JSON object.")
        return data

    def audit(self, action: str, meeting, **details) -> None:
        """A critical change, in the audit log with the caller, their address and the meeting."""
        audit(self.caller, action, target=meeting, account=meeting.account, ip=client_ip(self.request),
              application=self.source(), **details)

    def source(self) -> str:
        application = getattr(self.request.auth, "application", None)
        return application.name if application is not None else ""


class UserMeetingsView(ZoomView):
    rate_limit_classes = {"GET": "medium", "POST": "medium"}
    required_scopes = {"GET": READ, "POST": WRITE}

    def post(self, request, user_id):
        host = lookups.resolve_user(self.caller, user_id, admin=self.admin(WRITE))
        data = validation.validate(validation.MeetingFieldsSerializer, self.body())
        if "schedule_for" in data:
            host = lookups.schedule_for_user(self.caller, data["schedule_for"], admin=self.admin(WRITE))
        meeting = schedule.create_meeting(host, data, source=self.source())
        meeting.live_uuid = None  # just created, so not live: no instance to look up (Meeting.live_instance_uuid)
        return Response(representations.meeting_object(meeting), status=status.HTTP_201_CREATED)

    def get(self, request, user_id):
        user = lookups.resolve_user(self.caller, user_id, admin=self.admin(READ))
        list_type = request.query_params.get("type") or "scheduled"
        if list_type not in LIST_TYPES:
            raise invalid_parameter(f"type: Must be one of {', '.join(LIST_TYPES)}.")
        start, end = date_param(request, "from"), date_param(request, "to")
        if start and end and start > end:
            raise invalid_parameter("from: Must not be after to.")
        tz_name = request.query_params.get("timezone") or user.timezone
        zone = ZoneInfo(tz_name if validation.valid_timezone(tz_name) else "UTC")

        starts_between = None
        if start or end:
            starts_between = (datetime.combine(start or date(1970, 1, 1), time.min, zone),
                              datetime.combine((end or date(9000, 1, 1)) + timedelta(days=1), time.min, zone))
        scope = f"meetings:{self.caller.pk}:{user.pk}:{list_type}:{start}:{end}:{zone.key}"
        wanted = read_page_request(request, scope, key_length=2)
        page = listing.list_page(user.pk, list_type, timezone.now(), wanted, scope, starts_between)
        return Response({**page.envelope(), "page_number": page.page_number,
                         "meetings": representations.meeting_list_items(page.items, user)})


class UserMeetingView(ZoomView):
    """The seed's GET /users/{userId}/meetings/{meetingId}: the same object as GET /meetings/{id}."""
    rate_limit_classes = {"GET": "light"}

    required_scopes = {"GET": READ}

    def get(self, request, user_id, meeting_id):
        user = lookups.resolve_user(self.caller, user_id, admin=self.admin())
        meeting = lookups.meeting_to_show(self.caller, meeting_id, admin=self.admin())
        if meeting.host_id != user.pk:
            raise lookups.meeting_not_found(meeting.pk)
        return Response(representations.meeting_object(meeting))


class MeetingView(ZoomView):
    rate_limit_classes = {"GET": "light", "PATCH": "light", "DELETE": "light"}
    required_scopes = {"GET": READ, "PATCH": WRITE, "DELETE": WRITE}

    def get(self, request, meeting_id):
        meeting = lookups.meeting_to_show(self.caller, meeting_id, admin=self.admin(READ))
        occurrence_id = request.query_params.get("occurrence_id")
        occurrence = lookups.get_occurrence(meeting, occurrence_id) if occurrence_id else None
        show_previous = bool_param(request, "show_previous_occurrences")
        return Response(representations.meeting_object(meeting, occurrence=occurrence, show_previous=show_previous))

    def patch(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
        occurrence_id = request.query_params.get("occurrence_id")
        if occurrence_id:
            occurrence = lookups.get_occurrence(meeting, occurrence_id)
            data = validation.validate(validation.OccurrenceUpdateSerializer, self.body())
            schedule.check_update_rate(meeting)
            schedule.update_occurrence(meeting, occurrence, data)
        else:
            data = validation.validate(validation.MeetingFieldsSerializer, self.body())
            schedule.check_update_rate(meeting)
            schedule.update_meeting(meeting, data)
        self.audit("meeting.updated", meeting, fields=sorted(data), passcode_changed="password" in data,
                   occurrence_id=request.query_params.get("occurrence_id") or None)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def delete(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
        notify = bool_param(request, "schedule_for_reminder")
        notify_registrants = bool_param(request, "cancel_meeting_reminder")
        schedule.delete_meeting(meeting, occurrence_id=request.query_params.get("occurrence_id") or None,
                                notify_hosts=notify, notify_registrants=notify_registrants)
        self.audit("meeting.deleted", meeting, occurrence_id=request.query_params.get("occurrence_id") or None)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeetingStatusView(ZoomView):
    rate_limit_classes = {"PUT": "light"}
    required_scopes = {"PUT": WRITE}

    def put(self, request, meeting_id):
        data = validation.validate(validation.StatusSerializer, self.body())
        if data["action"] == "recover":
            meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE), include_deleted=True)
            schedule.recover_meeting(meeting)
            self.audit("meeting.recovered", meeting)
        else:
            meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
            live.end_meeting(meeting)
            self.audit("meeting.ended", meeting)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationView(ZoomView):
    required_scopes = {"GET": READ}
    rate_limit_classes = {"GET": "light"}

    def get(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(READ))
        return Response(representations.invitation(meeting))


def _occurrence_ids_param(request) -> list[int]:
    raw = request.query_params.get("occurrence_ids") or ""
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if any(not part.isdigit() or not part.isascii() or len(part) > 18 for part in parts):
        raise invalid_parameter("occurrence_ids: A comma-separated list of occurrence IDs.")
    return [int(part) for part in parts]


class RegistrantsView(ZoomView):
    required_scopes = {"GET": READ, "POST": WRITE}
    rate_limit_classes = {"GET": "medium", "POST": "light"}

    def get(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(READ))
        wanted = request.query_params.get("status") or "approved"
        if wanted not in ("approved", "pending", "denied"):
            raise invalid_parameter("status: Must be approved, pending or denied.")
        registrants = meeting.registrants.filter(status=wanted)
        occurrence_id = request.query_params.get("occurrence_id")
        if occurrence_id:
            occurrence = lookups.get_occurrence(meeting, occurrence_id)
            matching = [r for r in registrants if not r.occurrence_ids or occurrence.occurrence_id in r.occurrence_ids]
            registrants = meeting.registrants.filter(pk__in=[r.pk for r in matching])
        page = paginate(request, registrants, ordering=("created_at", "id"),
                        scope=f"registrants:{self.caller.pk}:{meeting.pk}:{wanted}:{occurrence_id}")
        return Response({**page.envelope(), "page_number": page.page_number,
                         "registrants": [representations.registrant_object(r) for r in page.items]})

    def post(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
        data = validation.validate(validation.RegistrantSerializer, self.body())
        registrant, created = registration.register(meeting, data, occurrence_ids=_occurrence_ids_param(request),
                                                    approve=data.get("auto_approve"))
        if created:
            self.audit("meeting.registrant_added", meeting, registrant=registrant.pk)
        return Response(representations.registration_answer(registrant), status=status.HTTP_201_CREATED)


class RegistrantView(ZoomView):
    required_scopes = {"GET": READ, "DELETE": WRITE}
    rate_limit_classes = {"GET": "light", "DELETE": "light"}

    def get(self, request, meeting_id, registrant_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(READ))
        return Response(representations.registrant_object(registration.get_registrant(meeting, registrant_id)))

    def delete(self, request, meeting_id, registrant_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
        occurrence_id = request.query_params.get("occurrence_id")
        occurrence = lookups.get_occurrence(meeting, occurrence_id) if occurrence_id else None
        registration.delete_registrant(meeting, registrant_id, occurrence.occurrence_id if occurrence else None)
        self.audit("meeting.registrant_deleted", meeting, registrant=registrant_id[:64])
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegistrantsStatusView(ZoomView):
    required_scopes = {"PUT": WRITE}
    rate_limit_classes = {"PUT": "medium"}

    def put(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
        data = validation.validate(validation.RegistrantStatusSerializer, self.body())
        changed = registration.set_status(meeting, data["action"], data.get("registrants", []))
        self.audit(f"meeting.registrants_{data['action']}", meeting, count=changed)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegistrantQuestionsView(ZoomView):
    """The registration form's questions: first name and email (always required), last name; no
    custom questions (the form is fixed)."""

    required_scopes = {"GET": READ}
    rate_limit_classes = {"GET": "light"}

    def get(self, request, meeting_id):
        lookups.get_meeting(self.caller, meeting_id, admin=self.admin(READ))
        return Response({"questions": [{"field_name": "last_name", "required": False}], "custom_questions": []})


class InviteLinksView(ZoomView):
    rate_limit_classes = {"POST": "light", "DELETE": "light"}
    required_scopes = {"POST": WRITE, "DELETE": WRITE}

    def delete(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
        links.revoke_invite_links(meeting)
        self.audit("meeting.invite_links_revoked", meeting)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def post(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
        data = validation.validate(validation.InviteLinksSerializer, self.body())
        attendees = links.create_invite_links(meeting, data["attendees"], data["ttl"])
        self.audit("meeting.invite_links_created", meeting, count=len(attendees), ttl=data["ttl"])
        return Response({"attendees": attendees}, status=status.HTTP_201_CREATED)


class UpcomingMeetingsView(ZoomView):
    """The seed's GET /users/{userId}/upcoming_meetings: what starts in the next 24 hours, and live ones."""
    rate_limit_classes = {"GET": "medium"}

    required_scopes = {"GET": READ}

    def get(self, request, user_id):
        user = lookups.resolve_user(self.caller, user_id, admin=self.admin())
        now = timezone.now()
        found = lookups.upcoming_window(Meeting.objects.alive().filter(host=user).select_related("host"),
                                         now, now + timedelta(hours=24))
        items = [representations.upcoming_item(*entry) for entry in found]
        return Response({"total_records": len(items), "meetings": items})


class PastMeetingView(ZoomView):
    rate_limit_classes = {"GET": "light"}
    required_scopes = {"GET": READ}

    def get(self, request, meeting_id):
        instance = lookups.past_instance(self.caller, meeting_id, admin=self.admin())
        return Response(representations.past_meeting_object(instance))


class PastInstancesView(ZoomView):
    rate_limit_classes = {"GET": "medium"}
    required_scopes = {"GET": READ}

    def get(self, request, meeting_id):
        number = lookups.parse_meeting_id(meeting_id)
        meeting = (lookups.visible_meetings(self.caller, admin=self.admin(), include_deleted=True)
                   .filter(pk=number).first())
        if meeting is None:
            raise lookups.meeting_not_found(number)
        instances = meeting.instances.filter(ended_at__isnull=False).order_by("started_at")
        return Response({"meetings": [{"uuid": i.uuid, "start_time": representations.fmt(i.started_at)}
                                      for i in instances]})


def _participants_page(request, instance: Instance, participants, scope: str) -> Response:
    page = paginate(request, participants.select_related("user"), ordering=("created_at", "id"), scope=scope)
    account_id = instance.meeting.account_id
    return Response({**page.envelope(),
                     "participants": [representations.participant_object(p, account_id) for p in page.items]})


class PastParticipantsView(ZoomView):
    rate_limit_classes = {"GET": "medium"}
    required_scopes = {"GET": READ}

    def get(self, request, meeting_id):
        instance = lookups.past_instance(self.caller, meeting_id, admin=self.admin())
        joined = instance.participants.filter(joined_at__isnull=False)
        return _participants_page(request, instance, joined, f"past-participants:{self.caller.pk}:{instance.pk}")


class MeetingParticipantsView(ZoomView):
    """The seed's GET /meetings/{meetingId}/participants: everyone in the live instance (waiting room
    included), or in the latest one when the meeting is not live."""
    rate_limit_classes = {"GET": "medium"}

    required_scopes = {"GET": READ}

    def get(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin())
        page_size = page_size_param(request)
        instance = meeting.live_instance() or meeting.instances.order_by("-started_at").first()
        if instance is None:
            return Response({"next_page_token": "", "page_count": 0, "page_size": page_size, "total_records": 0,
                             "participants": []})
        participants = instance.participants.exclude(status__in=[Participant.Status.DENIED])
        participants = participants.exclude(joined_at__isnull=True, status=Participant.Status.LEFT)
        return _participants_page(request, instance, participants, f"participants:{self.caller.pk}:{instance.pk}")


class LivestreamView(ZoomView):
    rate_limit_classes = {"GET": "light", "PATCH": "light"}
    required_scopes = {"GET": READ, "PATCH": WRITE}

    def get(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(READ))
        stream = meeting.livestream
        return Response({key: stream.get(key, "") for key in ("stream_url", "stream_key", "page_url", "resolution")})

    def patch(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
        data = validation.validate(validation.LivestreamSerializer, self.body())
        live.update_livestream(meeting, data)
        self.audit("meeting.livestream_changed", meeting, stream_url=data["stream_url"])  # not the stream key
        return Response(status=status.HTTP_204_NO_CONTENT)


class LivestreamStatusView(ZoomView):
    rate_limit_classes = {"PATCH": "light"}
    required_scopes = {"PATCH": WRITE}

    def patch(self, request, meeting_id):
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=self.admin(WRITE))
        data = validation.validate(validation.LivestreamStatusSerializer, self.body())
        live.set_livestream_status(meeting, data["action"], data.get("settings", {}))
        self.audit(f"meeting.livestream_{'started' if data['action'] == 'start' else 'stopped'}", meeting)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SipDialingView(ZoomView):
    rate_limit_classes = {"POST": "medium"}
    permission_classes = [IsAuthenticated, AnyOfScopes]
    any_scopes = {"POST": ("meeting:write:sip_dialing", "meeting:write:admin:sip_dialing")}

    def post(self, request, meeting_id):
        admin = "meeting:write:admin:sip_dialing" in token_scopes(request) and self.caller.is_account_admin
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=admin)
        data = validation.validate(validation.SipDialingSerializer, self.body())
        answer = links.sip_dialing(meeting, data.get("passcode", ""))
        self.audit("meeting.sip_uri_created", meeting)
        return Response(answer)


class LiveMeetingEventsView(ZoomView):
    rate_limit_classes = {"PATCH": "medium"}
    permission_classes = [IsAuthenticated, AnyOfScopes]
    any_scopes = {"PATCH": ("meeting:write", "meeting:write:admin", "meeting:master")}

    def patch(self, request, meeting_id):
        admin = self.admin(WRITE) or ("meeting:master" in token_scopes(request) and self.caller.is_account_admin)
        meeting = lookups.get_meeting(self.caller, meeting_id, admin=admin)
        data = validation.validate(validation.InMeetingEventSerializer, self.body())
        method, params = data["method"], data.get("params", {})
        if method == "meeting.end":
            live.end_meeting(meeting)
            self.audit("meeting.ended", meeting)
        else:
            instance = live.live_instance_or_error(meeting)
            if method.startswith("recording."):
                live.control_recording(instance, method)
                self.audit(RECORDING_AUDIT.get(method, f"meeting.{method.replace('.', '_')}"), meeting)
            elif method == "participant.invite":
                live.invite_by_email(meeting, params.get("contacts", []), params.get("invitee_name", ""))
            elif method.startswith("participant.invite."):
                destination, name = callout_destination(method, params)
                callee = callout.call_out(meeting, destination, name)
                self.audit("meeting.participant_called_out", meeting, destination=destination,
                           participant=callee.key)
            elif method == "participants.mute_all":
                live.mute_all(instance)
        return Response(status=status.HTTP_202_ACCEPTED)


def callout_destination(method: str, params: dict) -> tuple[str, str]:
    """(destination, display name) of a call-out event: a phone number, or a room system's SIP URI."""
    if method == "participant.invite.callout":
        if not params.get("phone_number"):
            raise invalid_parameter("params.phone_number: This field is required.")
        return params["phone_number"], params.get("invitee_name", "")
    if params.get("call_type", "sip") != "sip":
        raise invalid_parameter("params.call_type: Only sip room systems can be called.")
    device = (params.get("device_ip") or "").strip()
    if not device:
        raise invalid_parameter("params.device_ip: This field is required.")
    if not device.lower().startswith(("sip:", "sips:")):
        device = f"sip:{device}"
    name = (params.get("sip_headers") or {}).get("to_display_name") or params.get("invitee_name", "")
    return device, name


def api_not_found(request, *args, **kwargs):
    """Unknown /v2 paths answer Zoom's JSON error, not an HTML page."""
    return JsonResponse({"code": 404, "message": "Not found: no such API endpoint."}, status=404)
