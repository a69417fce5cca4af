"""/v2 routes of the cloud recording API. Included before meetings.api_urls: a meeting UUID may
contain '/', so these routes take the UUID with a regular expression."""

from django.urls import path, re_path

from recordings import api

urlpatterns = [
    path("users/<str:user_id>/recordings", api.UserRecordingsView.as_view(), name="api-user-recordings"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/recordings/settings$", api.RecordingSettingsView.as_view(),
            name="api-recording-settings"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/recordings/analytics_summary$", api.RecordingAnalyticsSummaryView.as_view(),
            name="api-recording-analytics-summary"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/recordings/status$", api.RecordingsStatusView.as_view(),
            name="api-recordings-status"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/recordings/(?P<recording_id>[0-9a-fA-F-]{36})/status$",
            api.RecordingFileStatusView.as_view(), name="api-recording-file-status"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/recordings/(?P<recording_id>[0-9a-fA-F-]{36})$",
            api.MeetingRecordingFileView.as_view(), name="api-recording-file"),
    re_path(r"^meetings/(?P<meeting_id>.+?)/recordings$", api.MeetingRecordingsView.as_view(),
            name="api-meeting-recordings"),
    path("videosdk/recordings", api.VideoSdkRecordingsView.as_view(), name="api-videosdk-recordings"),
    re_path(r"^videosdk/sessions/(?P<session_id>.+?)/recordings/(?P<recording_id>[0-9a-fA-F-]{36})$",
            api.SessionRecordingFileView.as_view(), name="api-session-recording-file"),
    re_path(r"^videosdk/sessions/(?P<session_id>.+?)/recordings$", api.SessionRecordingsView.as_view(),
            name="api-session-recordings"),
]
