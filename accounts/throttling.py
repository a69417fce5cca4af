"""Zoom-style rate limits for /v2: each request is light, medium or heavy (GET light, writes medium;
a view may set `rate_limit_classes = {"GET": "heavy"}`), counted per token and per account in Redis
(django-ratelimit's fixed windows). Over the limit: 429, Zoom's code 429, Retry-After."""

from __future__ import annotations

import time

from django.conf import settings
from django_ratelimit.core import _split_rate, is_ratelimited
from rest_framework.throttling import BaseThrottle

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def rate_class(request, view) -> str:
    declared = (getattr(view, "rate_limit_classes", None) or {}).get(request.method)
    return declared or ("medium" if request.method in WRITE_METHODS else "light")


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
