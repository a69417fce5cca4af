from django.urls import path

from config import consumers
from mind.realtime import routing as mind_routing

# Each app appends its own WebSocket routes here (e.g. mind.realtime.routing.websocket_urlpatterns).
websocket_urlpatterns = [
    path("ws/ping/", consumers.PingConsumer.as_asgi()),
]

# Routes that authenticate with bearer tokens and accept any Origin (see mind/routing.py).
token_websocket_urlpatterns = [
    *mind_routing.websocket_urlpatterns,
]
