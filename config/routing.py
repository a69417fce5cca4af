from django.urls import path

from config import consumers

# Each app appends its own WebSocket routes here (e.g. mind.routing.websocket_urlpatterns).
websocket_urlpatterns = [
    path("ws/ping/", consumers.PingConsumer.as_asgi()),
]
