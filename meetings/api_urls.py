"""/v2 routes of the Meeting API. Meeting ids are parsed by the views (a bad id is Zoom's 300, not a
404 page). Past-meeting routes take a UUID, which may contain '/' when sent single-encoded."""

from django.urls import path, re_path

from meetings import api

urlpatterns = [
    path("users/<str:user_id>/meetings", api.UserMeetingsView.as_view(), name="api-user-meetings"),
    path("users/<str:user_id>/meetings/<str:meeting_id>", api.UserMeetingView.as_view(), name="api-user-meeting"),
    path("users/<str:user_id>/upcoming_meetings", api.UpcomingMeetingsView.as_view(), name="api-upcoming-meetings"),
    path("meetings/<str:meeting_id>", api.MeetingView.as_view(), name="api-meeting"),
    path("meetings/<str:meeting_id>/status", api.MeetingStatusView.as_view(), name="api-meeting-status"),
    path("meetings/<str:meeting_id>/invite_links", api.InviteLinksView.as_view(), name="api-invite-links"),
    path("meetings/<str:meeting_id>/participants", api.MeetingParticipantsView.as_view(), name="api-meeting-participants"),
    path("meetings/<str:meeting_id>/livestream", api.LivestreamView.as_view(), name="api-livestream"),
    path("meetings/<str:meeting_id>/livestream/status", api.LivestreamStatusView.as_view(), name="api-livestream-status"),
    path("meetings/<str:meeting_id>/sip_dialing", api.SipDialingView.as_view(), name="api-sip-dialing"),
    path("live_meetings/<str:meeting_id>/events", api.LiveMeetingEventsView.as_view(), name="api-live-events"),
    re_path(r"^past_meetings/(?P<meeting_id>.+?)/instances$", api.PastInstancesView.as_view(), name="api-past-instances"),
    re_path(r"^past_meetings/(?P<meeting_id>.+?)/participants$", api.PastParticipantsView.as_view(),
            name="api-past-participants"),
    re_path(r"^past_meetings/(?P<meeting_id>.+)$", api.PastMeetingView.as_view(), name="api-past-meeting"),
]
