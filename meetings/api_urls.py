"""/v2 routes of the Meeting API. Meeting ids are parsed by the views (a bad id is Zoom's 300, not a
404 page). Past-meeting routes take a UUID, which may contain '/' when sent single-encoded."""

from django.urls import path, re_path, register_converter

from meetings import api


class MeetingIdConverter:
    """A `{meetingId}` segment: anything but Zoom's literal path words (lowercase words joined by
    underscores, such as `meeting_summaries`). Meeting numbers are digits and UUIDs are base64, so
    such a word belongs to the app that serves it, or is an unknown path (JSON 404), never
    "Invalid meeting ID"; other malformed ids still answer 300."""

    regex = r"(?![a-z]+(?:_[a-z]+)+(?:/|$))[^/]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(MeetingIdConverter, "meeting_id")

# The two most requested, which config.urls puts first of all /v2 routes: a request tries the routes in
# order, and ~40 tried before the list cost it 5% of its time. Neither can take another app's path.
first_urlpatterns = [
    path("users/<str:user_id>/meetings", api.UserMeetingsView.as_view(), name="api-user-meetings"),
    path("meetings/<meeting_id:meeting_id>", api.MeetingView.as_view(), name="api-meeting"),
]

urlpatterns = [
    path("users/<str:user_id>/meetings/<str:meeting_id>", api.UserMeetingView.as_view(), name="api-user-meeting"),
    path("users/<str:user_id>/upcoming_meetings", api.UpcomingMeetingsView.as_view(), name="api-upcoming-meetings"),
    path("meetings/<meeting_id:meeting_id>/status", api.MeetingStatusView.as_view(), name="api-meeting-status"),
    path("meetings/<meeting_id:meeting_id>/registrants", api.RegistrantsView.as_view(), name="api-registrants"),
    path("meetings/<meeting_id:meeting_id>/registrants/status", api.RegistrantsStatusView.as_view(),
         name="api-registrants-status"),
    path("meetings/<meeting_id:meeting_id>/registrants/questions", api.RegistrantQuestionsView.as_view(),
         name="api-registrant-questions"),
    path("meetings/<meeting_id:meeting_id>/registrants/<str:registrant_id>", api.RegistrantView.as_view(),
         name="api-registrant"),
    path("meetings/<meeting_id:meeting_id>/invitation", api.InvitationView.as_view(), name="api-invitation"),
    path("meetings/<meeting_id:meeting_id>/invite_links", api.InviteLinksView.as_view(), name="api-invite-links"),
    path("meetings/<meeting_id:meeting_id>/participants", api.MeetingParticipantsView.as_view(), name="api-meeting-participants"),
    path("meetings/<meeting_id:meeting_id>/livestream", api.LivestreamView.as_view(), name="api-livestream"),
    path("meetings/<meeting_id:meeting_id>/livestream/status", api.LivestreamStatusView.as_view(), name="api-livestream-status"),
    path("meetings/<meeting_id:meeting_id>/sip_dialing", api.SipDialingView.as_view(), name="api-sip-dialing"),
    path("live_meetings/<meeting_id:meeting_id>/events", api.LiveMeetingEventsView.as_view(), name="api-live-events"),
    re_path(r"^past_meetings/(?P<meeting_id>.+?)/instances$", api.PastInstancesView.as_view(), name="api-past-instances"),
    re_path(r"^past_meetings/(?P<meeting_id>.+?)/participants$", api.PastParticipantsView.as_view(),
            name="api-past-participants"),
    re_path(r"^past_meetings/(?P<meeting_id>.+)$", api.PastMeetingView.as_view(), name="api-past-meeting"),
]
