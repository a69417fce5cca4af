"""/v2 routes of the meeting summary API. Included before meetings.api_urls: `meetings/meeting_summaries`
is a literal that `meetings/<meetingId>` would otherwise take. Instance UUIDs may contain '/'."""

from django.urls import path, re_path

from summaries import api

urlpatterns = [
    path("ai_assistants", api.AssistantsView.as_view(), name="api-ai-assistants"),
    path("ai_assistants/<str:assistant_id>", api.AssistantView.as_view(), name="api-ai-assistant"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/ai_assistants/(?P<assistant_id>[^/]+)/runs$", api.AssistantRunsView.as_view(),
            name="api-ai-assistant-runs"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/ai_assistant_runs$", api.AssistantRunsView.as_view(),
            name="api-ai-assistant-run-list"),
    path("meetings/meeting_summaries", api.MeetingSummariesView.as_view(), name="api-meeting-summaries"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/meeting_summary/status$", api.MeetingSummaryStatusView.as_view(),
            name="api-meeting-summary-status"),
    path("meetings/<str:meeting_id>/summary_digest", api.SummaryDigestView.as_view(), name="api-summary-digest"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/meeting_summary/questions$", api.MeetingQuestionsView.as_view(),
            name="api-meeting-questions"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/meeting_summary$", api.MeetingSummaryView.as_view(), name="api-meeting-summary"),
]
