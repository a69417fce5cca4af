"""The dashboard / QSS and Video SDK QoS endpoints under /v2 (thin views over qos.dashboard and
qos.reports; docs/qos.md).

Contract: docs/openapi/reference/zoom-meeting-api.openapi.json (`/metrics/meetings*`); the QSS
summary and the Video SDK operations are in docs/openapi/extra.openapi.json. Scopes:
`dashboard_meetings:read:admin` (the list also takes `dashboard:read:admin`). Meetings of other
accounts are "not found" (3001).
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import invalid_parameter, paginate
from meetings.permissions import AnyOfScopes
from qos import dashboard, reports

MEETINGS = "dashboard_meetings:read:admin"
DASHBOARD = "dashboard:read:admin"


class DashboardView(APIView):
    permission_classes = [IsAuthenticated, AnyOfScopes]
    any_scopes: dict[str, tuple[str, ...]] = {"GET": (MEETINGS,)}
    rate_limit_classes = {"GET": "heavy"}  # Zoom labels every dashboard/QSS read Heavy


class MeetingsView(DashboardView):
    any_scopes = {"GET": (MEETINGS, DASHBOARD)}

    def get(self, request):
        kind = dashboard.meeting_type(request, (dashboard.LIVE, dashboard.PAST, dashboard.PAST_ONE))
        start, end = dashboard.date_range(request)
        if request.query_params.get("group_id"):
            raise invalid_parameter("group_id: Groups are not supported.")
        date_type = request.query_params.get("query_date_type") or "start_time"
        if date_type not in ("start_time", "end_time"):
            raise invalid_parameter("query_date_type: Must be start_time or end_time.")
        include = request.query_params.get("include_fields") or ""
        if include not in ("", "tracking_fields"):
            raise invalid_parameter("include_fields: Must be tracking_fields.")
        instances = dashboard.listed_instances(request.user, kind, start, end, by_end_time=date_type == "end_time")
        page = paginate(request, instances, ordering=["started_at", "pk"],
                        scope=f"qos.meetings:{request.user.pk}:{kind}:{start.isoformat()}:{end.isoformat()}:{date_type}")
        flags = reports.conference_flags(i.conference_id for i in page.items)
        counts = dashboard.participant_counts(page.items)
        now = timezone.now()
        return Response({
            "from": start.date().isoformat(), "to": end.date().isoformat(), **page.envelope(),
            "meetings": [dashboard.meeting_object(i, flags.get(i.conference_id, {}), counts.get(i.pk, 0), now,
                                                  tracking_fields=bool(include)) for i in page.items]})


class MeetingView(DashboardView):
    def get(self, request, meeting_id):
        instance = dashboard.instance(request.user, meeting_id, dashboard.meeting_type(
            request, (dashboard.LIVE, dashboard.PAST, dashboard.PAST_ONE)))
        flags = reports.conference_flags([instance.conference_id]).get(instance.conference_id, {})
        count = dashboard.participant_counts([instance]).get(instance.pk, 0)
        return Response(dashboard.meeting_object(instance, flags, count, timezone.now()))


def _page_of_people(request, instance, what: str, default_size: int, max_size: int):
    people = dashboard.joined_participants(instance)
    page = paginate(request, people, ordering=["pk"], scope=f"qos.{what}:{request.user.pk}:{instance.pk}",
                    default_size=default_size, max_size=max_size)
    series = reports.minute_rows(instance.conference_id, [p.media_participant_id for p in page.items])
    return page, [(person, series.get(person.media_participant_id, [])) for person in page.items]


class ParticipantsView(DashboardView):
    def get(self, request, meeting_id):
        instance = dashboard.instance(request.user, meeting_id, dashboard.meeting_type(
            request, (dashboard.LIVE, dashboard.PAST, dashboard.PAST_ONE)))
        page, people = _page_of_people(request, instance, "participants", 30, 300)
        clients = dashboard.clients_of(person for person, _ in people)
        return Response({**page.envelope(), "participants": [
            dashboard.participant_object(person, instance, rows, clients.get(person.media_participant_id))
            for person, rows in people]})


class ParticipantsQosView(DashboardView):
    def get(self, request, meeting_id):
        instance = dashboard.instance(request.user, meeting_id, dashboard.meeting_type(request))
        page, people = _page_of_people(request, instance, "participants-qos", 1, 10)
        clients = dashboard.clients_of(person for person, _ in people)
        return Response({**page.envelope(), "participants": [
            dashboard.participant_qos_object(person, instance, rows, clients.get(person.media_participant_id))
            for person, rows in people]})


class ParticipantQosView(DashboardView):
    def get(self, request, meeting_id, participant_id):
        instance = dashboard.instance(request.user, meeting_id, dashboard.meeting_type(request))
        person = dashboard.participant(instance, participant_id)
        rows = reports.minute_rows(instance.conference_id, [person.media_participant_id]).get(
            person.media_participant_id, [])
        client = dashboard.clients_of([person]).get(person.media_participant_id)
        return Response(dashboard.participant_qos_object(person, instance, rows, client))


class ParticipantsQosSummaryView(DashboardView):
    def get(self, request, meeting_id):
        instance = dashboard.instance(request.user, meeting_id, dashboard.PAST)  # a summary of a meeting that ended
        page, people = _page_of_people(request, instance, "participants-qos-summary", 1, 10)
        return Response({"next_page_token": page.next_page_token, "page_size": page.page_size, "participants": [
            dashboard.participant_summary_object(person, instance, rows) for person, rows in people]})


class SessionUsersQosView(DashboardView):
    def get(self, request, session_id):
        instance = dashboard.session(request.user, session_id, dashboard.meeting_type(request))
        page, people = _page_of_people(request, instance, "session-users-qos", 1, 10)
        return Response({**page.envelope(), "users": [
            dashboard.session_user_object(person, rows) for person, rows in people]})


class SessionUserQosView(DashboardView):
    def get(self, request, session_id, user_id):
        instance = dashboard.session(request.user, session_id, dashboard.meeting_type(request))
        person = dashboard.session_user(instance, user_id)
        rows = reports.minute_rows(instance.conference_id, [person.media_participant_id]).get(
            person.media_participant_id, [])
        return Response(dashboard.session_user_object(person, rows))


class SessionUsersQosSummaryView(DashboardView):
    def get(self, request, session_id):
        instance = dashboard.session(request.user, session_id, dashboard.PAST)
        page, people = _page_of_people(request, instance, "session-users-qos-summary", 1, 10)
        return Response({"next_page_token": page.next_page_token, "page_size": page.page_size, "users": [
            dashboard.session_summary_object(person, rows) for person, rows in people]})
