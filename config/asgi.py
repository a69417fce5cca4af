"""ASGI entry point: HTTP through Django on a pool of threads (config.http_threads), WebSockets
through Channels routes of each app."""

import gc
import os
from importlib import import_module

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
get_asgi_application()  # django.setup()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import re_path  # noqa: E402

from config.http_threads import http_application  # noqa: E402
from config.routing import token_websocket_urlpatterns, websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": http_application(),
        "websocket": URLRouter(
            [
                *token_websocket_urlpatterns,  # bearer tokens, no cookies: any origin
                re_path(r"^", AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))),
            ]
        ),
    }
)

# Every view module is imported now, then everything loaded so far is moved out of the garbage
# collector's sight: under load its full collections otherwise walked ~200,000 long-lived objects,
# pausing every request in flight for up to 0.2 s (docs/scaling.md).
import_module(settings.ROOT_URLCONF)
gc.collect()
gc.freeze()
