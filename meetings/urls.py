"""Meeting pages (/meetings/...) and the room's JSON join endpoints (/j/<id>/...)."""

from django.urls import path

from meetings import breakout_views, join_views, registration_views, room_views, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.home, name="home"),
    path("meetings/new", views.schedule, name="schedule"),
    path("meetings/personal-room", views.personal_room, name="personal-room"),
    path("meetings/new/preview", views.preview, name="preview"),
    path("meetings/instant", views.instant, name="instant"),
    path("meetings/later", views.later, name="later"),
    path("meetings/join", views.join_by_code, name="join-by-code"),
    path("meetings/previous", views.previous, name="previous"),
    path("meetings/previous/<int:instance_id>", views.past_instance, name="past"),
    path("meetings/<int:meeting_id>/", views.detail, name="detail"),
    path("meetings/<int:meeting_id>/edit", views.edit, name="edit"),
    path("meetings/<int:meeting_id>/calendar.ics", views.calendar_file, name="calendar"),
    path("meetings/<int:meeting_id>/invite", views.invite, name="invite"),
    path("meetings/<int:meeting_id>/delete", views.delete, name="delete"),
    path("meetings/<int:meeting_id>/register", registration_views.register, name="register"),
    # The room page (/j/<id>, invite links ?tk=, ?pwd=, host start links ?start=) and its end page.
    path("j/<int:meeting_id>", room_views.room, name="room"),
    path("j/<int:meeting_id>/bye", room_views.bye, name="bye"),
    # The calls the room makes.
    path("j/<int:meeting_id>/join", join_views.join, name="join"),
    path("j/<int:meeting_id>/join/status", join_views.join_status, name="join-status"),
    path("j/<int:meeting_id>/leave", join_views.leave, name="leave"),
    path("j/<int:meeting_id>/lobby", join_views.lobby, name="lobby"),
    path("j/<int:meeting_id>/lobby/<str:participant_id>/admit", join_views.admit, name="admit"),
    path("j/<int:meeting_id>/lobby/<str:participant_id>/deny", join_views.deny, name="deny"),
    path("j/<int:meeting_id>/control", join_views.control, name="control"),
    path("j/<int:meeting_id>/roster", join_views.roster, name="roster"),
    path("j/<int:meeting_id>/participants/<str:participant_id>/<str:action>", join_views.participant_action,
         name="participant-action"),
    # Breakout rooms (meetings.actions.breakout).
    path("j/<int:meeting_id>/breakout", breakout_views.state, name="breakout"),
    path("j/<int:meeting_id>/breakout/manage", breakout_views.manage, name="breakout-manage"),
    path("j/<int:meeting_id>/breakout/move", breakout_views.move, name="breakout-move"),
]
