"""The Zoom-compatible cloud recording API under /v2 (thin views over recordings.services).

Bodies and codes follow docs/openapi/reference/zoom-meeting-api.openapi.json. Scopes:
`recording:read` / `recording:write`; their `:admin` variants reach the whole account's recordings.
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework import status
from rest_framework.response import Response

from config.api import invalid_parameter, paginate
from meetings.actions.lookups import resolve_user
from meetings.api import ZoomView, bool_param
from recordings import access, representations, services
from recordings.models import CloudRecording

READ, WRITE = "recording:read", "recording:write"
DEFAULT_TOKEN_TTL, MAX_TOKEN_TTL = 86400, 604800


class UserRecordingsView(ZoomView):
    rate_limit_classes = {"GET": "medium"}
    required_scopes = {"GET": READ}
    admin_scope = READ

    def get(self, request, user_id):
        host = resolve_user(self.caller, user_id, admin=self.admin())
        today = timezone.now().date()
        start, end = services.month_range(request.query_params.get("from"), request.query_params.get("to"), today)
        trash = bool_param(request, "trash")
        trash_type = request.query_params.get("trash_type") or "meeting_recordings"
        if trash_type not in ("meeting_recordings", "recording_file"):
            raise invalid_parameter("trash_type: Must be meeting_recordings or recording_file.")
        mc = (request.query_params.get("mc") or "false").lower()
        if mc not in ("true", "false"):
            raise invalid_parameter("mc: Must be true or false.")
        recordings = CloudRecording.objects.filter(host=host, account_id=self.caller.account_id,
                                                   kind=CloudRecording.Kind.MEETING,
                                                   status=CloudRecording.Status.COMPLETED,
                                                   start_time__date__gte=start, start_time__date__lte=end)
        if trash and trash_type == "meeting_recordings":
            recordings = recordings.filter(trashed_at__isnull=False)
        elif trash:
            recordings = recordings.filter(files__trashed_at__isnull=False).distinct()
        else:
            recordings = recordings.filter(files__trashed_at__isnull=True,
                                           files__status="completed").distinct()
        if request.query_params.get("meeting_id"):
            raw = request.query_params["meeting_id"]
            if not raw.isdigit():
                raise invalid_parameter("meeting_id: Must be a meeting number.")
            recordings = recordings.filter(meeting_id=int(raw))
        page = paginate(request, recordings.select_related("account", "host"), ordering=["start_time", "share_token"],
                        scope=f"recordings:{host.pk}:{start}:{end}:{trash}:{trash_type}")
        return Response({
            "from": start.isoformat(), "to": end.isoformat(), "page_size": page.page_size,
            "total_records": page.total_records, "next_page_token": page.next_page_token,
            "meetings": [representations.recording_json(r, trashed=trash) for r in page.items],
        })


class MeetingRecordingsView(ZoomView):
    rate_limit_classes = {"GET": "light", "DELETE": "light"}
    required_scopes = {"GET": READ, "DELETE": WRITE}

    def get(self, request, meeting_id):
        recording = services.find_recording(self.caller, meeting_id, admin=self.admin(READ))
        if not representations.listed_files(recording):
            raise services.no_recording()
        body = representations.recording_json(recording)
        if not body["password"]:
            body.pop("password")
            body.pop("recording_play_passcode")
        return Response(_with_download_access_token(request, recording, body))

    def delete(self, request, meeting_id):
        recording = services.find_recording(self.caller, meeting_id, admin=self.admin(WRITE))
        action = request.query_params.get("action") or "trash"
        if action == "trash":
            services.trash_recording(recording)
        elif action == "delete":
            services.delete_recording(recording)
        else:
            raise invalid_parameter("action: Must be trash or delete.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeetingRecordingFileView(ZoomView):
    rate_limit_classes = {"DELETE": "light"}
    required_scopes = {"DELETE": WRITE}

    def delete(self, request, meeting_id, recording_id):
        recording = services.find_recording(self.caller, meeting_id, admin=self.admin(WRITE))
        file = services.file_of(recording, recording_id)
        action = request.query_params.get("action") or "trash"
        if action == "trash":
            services.trash_file(recording, file)
        elif action == "delete":
            services.delete_file(recording, file)
        else:
            raise invalid_parameter("action: Must be trash or delete.")
        return Response(status=status.HTTP_204_NO_CONTENT)


def _recover_action(view) -> None:
    body = view.body()
    if body.get("action") != "recover":
        raise invalid_parameter("action: Must be recover.")


class RecordingsStatusView(ZoomView):
    rate_limit_classes = {"PUT": "light"}
    required_scopes = {"PUT": WRITE}

    def put(self, request, meeting_id):
        recording = services.find_recording(self.caller, meeting_id, admin=self.admin(WRITE))
        _recover_action(self)
        services.recover_recording(recording)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecordingFileStatusView(ZoomView):
    rate_limit_classes = {"PUT": "light"}
    required_scopes = {"PUT": WRITE}

    def put(self, request, meeting_id, recording_id):
        recording = services.find_recording(self.caller, meeting_id, admin=self.admin(WRITE))
        file = services.file_of(recording, recording_id)
        _recover_action(self)
        services.recover_file(recording, file)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecordingSettingsView(ZoomView):
    rate_limit_classes = {"GET": "light", "PATCH": "light"}
    required_scopes = {"GET": READ, "PATCH": WRITE}

    def get(self, request, meeting_id):
        recording = services.find_recording(self.caller, meeting_id, admin=self.admin(READ))
        body = services.settings_json(recording)
        if not body["password"]:
            body.pop("password")
        return Response(body)

    def patch(self, request, meeting_id):
        recording = services.find_recording(self.caller, meeting_id, admin=self.admin(WRITE))
        services.update_settings(recording, self.body())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Video SDK (seed 4.2.7): sessions are conferences applications create through the Mind API ------


def _session_body(recording: CloudRecording, *, trashed: bool = False, files=None) -> dict:
    files = representations.listed_files(recording, trashed) if files is None else files
    body = representations.session_json(recording, files=files, trashed=trashed)
    return body


class VideoSdkRecordingsView(ZoomView):
    rate_limit_classes = {"GET": "medium"}
    required_scopes = {"GET": READ}

    def get(self, request):
        start, end = services.month_range(request.query_params.get("from"), request.query_params.get("to"),
                                          timezone.now().date())
        trash = bool_param(request, "trash")
        trash_type = request.query_params.get("trash_type") or "session_recordings"
        if trash_type not in ("session_recordings", "recording_file"):
            raise invalid_parameter("trash_type: Must be session_recordings or recording_file.")
        recordings = services.session_recordings(self.caller).filter(
            status=CloudRecording.Status.COMPLETED, start_time__date__gte=start, start_time__date__lte=end)
        if trash and trash_type == "session_recordings":
            recordings = recordings.filter(trashed_at__isnull=False)
        elif trash:
            recordings = recordings.filter(files__trashed_at__isnull=False).distinct()
        else:
            recordings = recordings.filter(files__trashed_at__isnull=True, files__status="completed").distinct()
        page = paginate(request, recordings, ordering=["start_time", "share_token"],
                        scope=f"videosdk-recordings:{self.caller.account_id}:{start}:{end}:{trash}:{trash_type}")
        return Response({
            "from": start.isoformat(), "to": end.isoformat(), "page_size": page.page_size,
            "total_records": page.total_records, "next_page_token": page.next_page_token,
            "sessions": [_session_body(r, trashed=trash) for r in page.items],
        })


def _deleted(message: str) -> Response:
    # The seed answers 200 with a confirmation body (Zoom's Meeting API answers 204).
    return Response({"code": 200, "message": message})


class SessionRecordingsView(ZoomView):
    rate_limit_classes = {"GET": "light", "DELETE": "light"}
    required_scopes = {"GET": READ, "DELETE": WRITE}

    def get(self, request, session_id):
        recording = services.find_session_recording(self.caller, session_id)
        files = representations.listed_files(recording)
        if not files:
            raise services.no_recording()
        body = _session_body(recording, files=files)
        return Response(_with_download_access_token(request, recording, body))

    def delete(self, request, session_id):
        recording = services.find_session_recording(self.caller, session_id)
        action = request.query_params.get("action") or "trash"
        if action == "trash":
            services.trash_recording(recording)
        elif action == "delete":
            services.delete_recording(recording)
        else:
            raise invalid_parameter("action: Must be trash or delete.")
        return _deleted("All recording files were successfully deleted.")


class SessionRecordingFileView(ZoomView):
    rate_limit_classes = {"DELETE": "light"}
    required_scopes = {"DELETE": WRITE}

    def delete(self, request, session_id, recording_id):
        recording = services.find_session_recording(self.caller, session_id)
        file = services.file_of(recording, recording_id)
        action = request.query_params.get("action") or "trash"
        if action == "trash":
            services.trash_file(recording, file)
        elif action == "delete":
            services.delete_file(recording, file)
        else:
            raise invalid_parameter("action: Must be trash or delete.")
        return _deleted("The recording file was successfully deleted.")


class RecordingAnalyticsSummaryView(ZoomView):
    rate_limit_classes = {"GET": "medium"}
    required_scopes = {"GET": READ}

    def get(self, request, meeting_id):
        from datetime import timedelta

        recording = services.find_recording(self.caller, meeting_id, admin=self.admin(READ))
        today = timezone.now().date()
        raw_from = request.query_params.get("from") or (
            None if request.query_params.get("to") else str(today - timedelta(days=7)))
        start, end = services.month_range(raw_from, request.query_params.get("to"), today)
        return Response({"from": start.isoformat(), "to": end.isoformat(),
                         "analytics_summary": services.analytics_summary(recording, start, end)})


def _with_download_access_token(request, recording, body: dict) -> dict:
    """Adds `download_access_token` when `include_fields` asks for it, valid `ttl` seconds (Zoom's)."""
    include = {part.strip() for part in (request.query_params.get("include_fields") or "").split(",") if part}
    if "download_access_token" in include:
        raw_ttl = request.query_params.get("ttl")
        try:
            ttl = DEFAULT_TOKEN_TTL if raw_ttl in (None, "") else int(raw_ttl)
        except ValueError:
            raise invalid_parameter("ttl: A valid integer is required.") from None
        if not 0 <= ttl <= MAX_TOKEN_TTL:
            raise invalid_parameter(f"ttl: Must be between 0 and {MAX_TOKEN_TTL}.")
        body["download_access_token"] = access.download_access_token(recording, ttl)
    return body
