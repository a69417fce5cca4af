"""Zoom-style rate limits for /v2: each request is light, medium or heavy, counted per token and per
account in Redis (django-ratelimit's fixed windows). Over the limit: 429, Zoom's code 429, Retry-After.

Every /v2 view names the class of each method it answers (`rate_limit_classes = {"GET": "medium"}`):
the label Zoom's reference gives the operation, or for operations Zoom lacks the one
`docs/openapi/extra.openapi.json` gives (tests/accounts/test_v2_rate_limit_classes.py holds every
view to its documented label). HEAD counts as GET."""

from __future__ import annotations

import time

from django.conf import settings
from django_ratelimit.core import _split_rate, is_ratelimited
from rest_framework.throttling import BaseThrottle

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def rate_class(request, view) -> str:
    method = "GET" if request.method == "HEAD" else request.method
    declared = (getattr(view, "rate_limit_classes", None) or {}).get(method)
    return declared or ("medium" if method in WRITE_METHODS else "light")  # a view the test would fail


class ZoomRateLimit(BaseThrottle):
    def allow_request(self, request, view):
        token = getattr(request, "auth", None)
        user = getattr(request, "user", None)
        if token is None or user is None:
            return True  # unauthenticated requests are refused before they cost anything
        kind = rate_class(request, view)
        self._wait = None
        for scope, key, rate in (
            ("token", f"token:{token.pk}", settings.API_TOKEN_RATE_LIMITS.get(kind)),
            ("account", f"account:{user.account_id}", settings.API_RATE_LIMITS.get(kind)),
        ):
            if rate and is_ratelimited(request, group=f"v2:{kind}:{scope}", key=lambda g, r, key=key: key,
                                       rate=rate, increment=True):
                _, period = _split_rate(rate)
                self._wait = max(1, period - int(time.time()) % period)
                return False
        return True

    def wait(self):
        return self._wait
