"""/v2 routes of the dashboard and Video SDK QoS API. Meeting UUIDs may contain '/', so the meeting
segment is matched lazily up to the literal that follows it."""

from django.urls import path, re_path

from qos import api

M = r"^metrics/meetings/(?P<meeting_id>.+?)"
S = r"^videosdk/sessions/(?P<session_id>.+?)"

urlpatterns = [
    path("metrics/meetings", api.MeetingsView.as_view(), name="api-metrics-meetings"),
    re_path(M + r"/participants/qos_summary$", api.ParticipantsQosSummaryView.as_view(), name="api-metrics-qos-summary"),
    re_path(M + r"/participants/qos$", api.ParticipantsQosView.as_view(), name="api-metrics-participants-qos"),
    re_path(M + r"/participants/(?P<participant_id>[^/]+)/qos$", api.ParticipantQosView.as_view(),
            name="api-metrics-participant-qos"),
    re_path(M + r"/participants$", api.ParticipantsView.as_view(), name="api-metrics-participants"),
    re_path(M + r"$", api.MeetingView.as_view(), name="api-metrics-meeting"),
    re_path(S + r"/users/qos_summary$", api.SessionUsersQosSummaryView.as_view(), name="api-videosdk-qos-summary"),
    re_path(S + r"/users/qos$", api.SessionUsersQosView.as_view(), name="api-videosdk-users-qos"),
    re_path(S + r"/users/(?P<user_id>[^/]+)/qos$", api.SessionUserQosView.as_view(), name="api-videosdk-user-qos"),
]
