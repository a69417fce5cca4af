"""The Mind REST API under /mind/ (paths as the seeds define them, below the API root)."""

from django.urls import path, re_path

from mind.api import views

CONFERENCE = "<uuid:application_id>/<uuid:conference_id>"
PARTICIPANT = CONFERENCE + "/participants/<uuid:participant_id>"

app_name = "mind"
urlpatterns = [
    path("<uuid:application_id>", views.application_view, name="application"),
    path(CONFERENCE, views.conference_view, name="conference"),
    path(CONFERENCE + "/participants", views.participants_view, name="participants"),
    path(PARTICIPANT, views.participant_view, name="participant"),
    path(PARTICIPANT + "/dial", views.sip_dial_view, name="sip-dial"),
    path(PARTICIPANT + "/forward", views.sip_forward_view, name="sip-forward"),
    path(PARTICIPANT + "/hangup", views.sip_hangup_view, name="sip-hangup"),
    path(CONFERENCE + "/messages", views.messages_view, name="messages"),
    path(CONFERENCE + "/recording", views.recording_view, name="recording"),
    path(CONFERENCE + "/recording/preview", views.recording_preview_view, name="recording-preview"),
    path(CONFERENCE + "/recording/start", views.recording_start_view, name="recording-start"),
    path(CONFERENCE + "/recording/stop", views.recording_stop_view, name="recording-stop"),
    path(CONFERENCE + "/recording/transcription", views.recording_transcription_view, name="recording-transcription"),
    path(CONFERENCE + "/transcription", views.transcription_view, name="transcription"),
    path(CONFERENCE + "/streamings", views.streamings_view, name="streamings"),
    path(CONFERENCE + "/streamings/<uuid:streaming_id>", views.streaming_view, name="streaming"),
    # Last: any other path (a malformed id included) answers the Mind API's JSON 404, not a page.
    re_path(r"", views.not_found_view, name="not-found"),
]
