"""The Zoom meeting summary API under /v2 (thin views over `summaries.services`).

Contract: docs/openapi/reference/zoom-meeting-summaries.openapi.json; DELETE, the on-demand
request and its status are in docs/openapi/extra.openapi.json. Other accounts' meetings are
"not found" (3001), never "forbidden".
"""

from __future__ import annotations

from datetime import datetime
from datetime import timezone as dt_timezone

from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import insufficient_scope, token_scopes
from config.api import MEETING_NOT_FOUND, ZoomAPIError, invalid_parameter, not_found, page_size_param, paginate
from meetings.actions import lookups
from summaries import questions, representations, services
from summaries.digest import series_digest
from summaries.models import Assistant, AssistantRun, MeetingSummary

READ, WRITE = "meeting_summary:read", "meeting_summary:write"
NO_SUMMARY = "This meeting has no summary."


def _admin(request, scope: str) -> bool:
    return f"{scope}:admin" in token_scopes(request) and bool(getattr(request.user, "is_account_admin", False))


def _require(request, *scopes: str) -> None:
    if not token_scopes(request) & set(scopes):
        raise insufficient_scope(*scopes)


def _datetime_param(request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    text = raw.strip().replace(" ", "T", 1) if "T" not in raw else raw.strip()
    if len(text) == 10:
        text += "T00:00:00Z"
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise invalid_parameter(f"{name}: Must be a date-time such as 2024-03-01T00:00:00Z.") from None
    return value if value.tzinfo else value.replace(tzinfo=dt_timezone.utc)


def _visible_summaries(request, admin: bool):
    meetings = lookups.visible_meetings(request.user, admin=admin, include_deleted=True)
    return MeetingSummary.objects.filter(instance__meeting__in=meetings).select_related(
        "instance", "instance__meeting", "instance__meeting__host")


def _instance(request, meeting_id: str, admin: bool):
    """The instance named by number (its latest ended one) or by UUID."""
    return lookups.past_instance(request.user, meeting_id, admin=admin)


def _summary_of(request, meeting_id: str, admin: bool, completed: bool = True) -> MeetingSummary:
    text = meeting_id.strip()
    summaries = _visible_summaries(request, admin)
    if completed:
        summaries = summaries.filter(state=MeetingSummary.State.COMPLETED)
    if text.isdigit() and text.isascii():
        number = lookups.parse_meeting_id(text)
        if not lookups.visible_meetings(request.user, admin=admin, include_deleted=True).filter(pk=number).exists():
            raise lookups.meeting_not_found(number)
        summary = summaries.filter(instance__meeting_id=number).order_by("-instance__started_at").first()
    else:
        summary = summaries.filter(instance__uuid=lookups.parse_uuid_param(text)).first()
        if summary is None:
            _instance(request, text, admin)  # 3001 when the instance itself is unknown
    if summary is None:
        raise not_found(MEETING_NOT_FOUND, NO_SUMMARY)
    return summary


class SummaryView(APIView):
    permission_classes = [IsAuthenticated]


class MeetingSummariesView(SummaryView):
    """GET /meetings/meeting_summaries: the account's summaries (an admin) or one's own."""
    rate_limit_classes = {"GET": "medium"}

    def get(self, request):
        _require(request, f"{READ}:admin")
        admin = _admin(request, READ)
        start, end = _datetime_param(request, "from"), _datetime_param(request, "to")
        if start and end and start > end:
            raise invalid_parameter("from: Must not be after to.")
        page_size = page_size_param(request)
        summaries = _visible_summaries(request, admin).filter(state=MeetingSummary.State.COMPLETED)
        if start:
            summaries = summaries.filter(completed_at__gte=start)
        if end:
            summaries = summaries.filter(completed_at__lte=end)
        page = paginate(request, summaries, ordering=("completed_at", "id"),
                        scope=f"summaries:{request.user.pk}:{admin}:{start}:{end}")
        body = {"page_size": page_size, "next_page_token": page.next_page_token,
                "summaries": [representations.summary_list_item(s) for s in page.items]}
        if start:
            body["from"] = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        if end:
            body["to"] = end.strftime("%Y-%m-%dT%H:%M:%SZ")
        return Response(body)


class MeetingSummaryView(SummaryView):
    """GET / DELETE /meetings/{meetingId}/meeting_summary; POST asks for one (on demand)."""
    rate_limit_classes = {"GET": "light", "DELETE": "light", "POST": "heavy"}

    def get(self, request, meeting_id):
        _require(request, READ, f"{READ}:admin")
        summary = _summary_of(request, meeting_id, _admin(request, READ))
        return Response(representations.summary_object(summary))

    def delete(self, request, meeting_id):
        _require(request, WRITE, f"{WRITE}:admin")
        summary = _summary_of(request, meeting_id, _admin(request, WRITE), completed=False)
        services.delete_summary(summary)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def post(self, request, meeting_id):
        _require(request, WRITE, f"{WRITE}:admin")
        instance = _instance(request, meeting_id, _admin(request, WRITE))
        data = request.data if isinstance(request.data, dict) else None
        if data is None:
            raise invalid_parameter("body: The request body must be a JSON object.")
        try:
            summary = services.request_summary(
                instance, style=data.get("style"), word_limit=data.get("word_limit"), language=data.get("language"),
                backend=data.get("backend"))
        except services.SummaryError as exc:
            raise invalid_parameter(str(exc)) from None
        return Response(representations.summary_status(summary), status=status.HTTP_202_ACCEPTED)


class MeetingSummaryStatusView(SummaryView):
    """GET /meetings/{meetingId}/meeting_summary/status: where the summary is (poll after POST)."""
    rate_limit_classes = {"GET": "light"}

    def get(self, request, meeting_id):
        _require(request, READ, f"{READ}:admin")
        summary = _summary_of(request, meeting_id, _admin(request, READ), completed=False)
        return Response(representations.summary_status(summary))


class MeetingQuestionsView(SummaryView):
    """POST /meetings/{meetingId}/meeting_summary/questions: ask about the meeting's transcript."""
    rate_limit_classes = {"POST": "heavy"}

    def post(self, request, meeting_id):
        _require(request, READ, f"{READ}:admin")
        summary = _summary_of(request, meeting_id, _admin(request, READ), completed=False)
        question = request.data.get("question") if isinstance(request.data, dict) else None
        if not isinstance(question, str) or not question.strip() or len(question) > 1000:
            raise invalid_parameter("question: A question of 1 to 1000 characters is required.")
        if not summary.transcript:
            raise not_found(MEETING_NOT_FOUND, "This meeting has no transcript.")
        return Response(questions.answer(question.strip(), summary.transcript))


class SummaryDigestView(SummaryView):
    """GET /meetings/{meetingId}/summary_digest: the series digest of a (recurring) meeting."""
    rate_limit_classes = {"GET": "medium"}

    def get(self, request, meeting_id):
        _require(request, READ, f"{READ}:admin")
        meeting = lookups.get_meeting(request.user, meeting_id, admin=_admin(request, READ), include_deleted=True)
        return Response(series_digest(meeting))


# --- AI assistants (extension, docs/openapi/extra.openapi.json) --------------------------------------

ASSISTANT_NOT_FOUND = 404


def _assistant(request, assistant_id):
    if not str(assistant_id).isdigit():
        raise not_found(ASSISTANT_NOT_FOUND, "No such AI assistant.")
    assistant = Assistant.objects.filter(pk=int(assistant_id),
                                         account=request.user.account).select_related("created_by").first()
    if assistant is None:
        raise not_found(ASSISTANT_NOT_FOUND, "No such AI assistant.")
    return assistant


def _write(callable_, *args):
    try:
        return callable_(*args)
    except services.SummaryError as exc:
        raise invalid_parameter(str(exc)) from None
    except PermissionError as exc:
        raise ZoomAPIError(status.HTTP_403_FORBIDDEN, 403, str(exc)) from None


class AssistantsView(SummaryView):
    """GET /ai_assistants (the account's), POST /ai_assistants {name, instructions} → 201."""
    rate_limit_classes = {"GET": "light", "POST": "light"}

    def get(self, request):
        _require(request, READ, f"{READ}:admin")
        assistants = Assistant.objects.filter(account=request.user.account).select_related("created_by")
        return Response({"total_records": assistants.count(),
                         "assistants": [representations.assistant_object(a) for a in assistants]})

    def post(self, request):
        _require(request, WRITE, f"{WRITE}:admin")
        data = request.data if isinstance(request.data, dict) else {}
        assistant = _write(services.create_assistant, request.user, data)
        return Response(representations.assistant_object(assistant), status=status.HTTP_201_CREATED)


class AssistantView(SummaryView):
    rate_limit_classes = {"GET": "light", "PATCH": "light", "DELETE": "light"}
    def get(self, request, assistant_id):
        _require(request, READ, f"{READ}:admin")
        return Response(representations.assistant_object(_assistant(request, assistant_id)))

    def patch(self, request, assistant_id):
        _require(request, WRITE, f"{WRITE}:admin")
        data = request.data if isinstance(request.data, dict) else {}
        _write(services.update_assistant, request.user, _assistant(request, assistant_id), data)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def delete(self, request, assistant_id):
        _require(request, WRITE, f"{WRITE}:admin")
        _write(services.delete_assistant, request.user, _assistant(request, assistant_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssistantRunsView(SummaryView):
    """POST /meetings/{meetingId}/ai_assistants/{assistantId}/runs → 202; GET /meetings/{meetingId}/ai_assistant_runs."""
    rate_limit_classes = {"POST": "heavy", "GET": "medium"}

    def post(self, request, meeting_id, assistant_id):
        _require(request, WRITE, f"{WRITE}:admin")
        instance = _instance(request, meeting_id, _admin(request, WRITE))
        run = _write(services.run_assistant, request.user, _assistant(request, assistant_id), instance)
        return Response(representations.assistant_run_object(run), status=status.HTTP_202_ACCEPTED)

    def get(self, request, meeting_id):
        _require(request, READ, f"{READ}:admin")
        instance = _instance(request, meeting_id, _admin(request, READ))
        runs = AssistantRun.objects.filter(instance=instance).select_related("assistant", "instance")
        return Response({"runs": [representations.assistant_run_object(r) for r in runs]})
