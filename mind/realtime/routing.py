"""WebSocket routes of the Mind API. They authenticate with bearer tokens (header or
`access_token` query parameter) and carry no cookies, so config/asgi.py serves them without
the same-origin check: browsers on other origins (the SDK) and server-side applications (which
send no Origin header) must reach them. The participant session route belongs here too."""

from django.urls import path

from mind.realtime.app_socket import ApplicationSocket
from mind.realtime.session import ParticipantSession

websocket_urlpatterns = [
    path("mind/<uuid:application_id>/<uuid:conference_id>", ApplicationSocket.as_asgi()),
    path("mind/<uuid:application_id>/<uuid:conference_id>/session", ParticipantSession.as_asgi()),
]
