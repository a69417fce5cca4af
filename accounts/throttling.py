"""Zoom-style rate limits for /v2: each request is light, medium or heavy, counted per token and per
account in Redis (django-ratelimit's fixed windows). Over the limit: 429, Zoom's code 429, Retry-After.

Every /v2 view names the class of each method it answers (`rate_limit_classes = {"GET": "medium"}`):
the label Zoom's reference gives the operation, or for operations Zoom lacks the one
`docs/openapi/extra.openapi.json` gives (tests/accounts/test_v2_rate_limit_classes.py holds every
view to its documented label). HEAD counts as GET.

Both counters of a request (token and account) are counted in one Redis round trip (a pipeline of
SET NX + INCR per counter), under the very keys and windows django-ratelimit's `is_ratelimited`
uses, so its settings (RATELIMIT_ENABLE, RATELIMIT_USE_CACHE) and clock hold as before. Usually
authentication has counted them already, in the round trip that read the token
(accounts.auth_cache.read_at_once): the counting here is for the rest."""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import caches
from django_ratelimit import core as ratelimit_core
from django_ratelimit.core import _split_rate
from rest_framework.throttling import BaseThrottle

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def rate_class(request, view) -> str:
    method = "GET" if request.method == "HEAD" else request.method
    declared = (getattr(view, "rate_limit_classes", None) or {}).get(method)
    return declared or ("medium" if method in WRITE_METHODS else "light")  # a view the test would fail


def request_counters(request, view, token_id, account_id) -> list[tuple[str, str, str]]:
    """The (group, key, rate) windows a /v2 request counts in: its token's and its account's, in its class."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return []
    kind = rate_class(request, view)
    return [(f"v2:{kind}:{scope}", key, rate) for scope, key, rate in (
        ("token", f"token:{token_id}", settings.API_TOKEN_RATE_LIMITS.get(kind)),
        ("account", f"account:{account_id}", settings.API_RATE_LIMITS.get(kind)),
    ) if rate]


class ZoomRateLimit(BaseThrottle):
    def allow_request(self, request, view):
        token = getattr(request, "auth", None)
        user = getattr(request, "user", None)
        if token is None or user is None:
            return True  # unauthenticated requests are refused before they cost anything
        self._wait = None
        counters = request_counters(request, view, token.pk, user.account_id)
        if not counters:
            return True
        # Authentication may have counted the request already, in its own round trip (accounts.auth_cache).
        counted = getattr(request, "counted_requests", None)
        counts = counted[1] if counted is not None and counted[0] == counters else count_requests(counters)
        for (_, _, rate), count in zip(counters, counts, strict=True):
            limit, period = _split_rate(rate)
            if count > limit:
                self._wait = max(1, period - int(time.time()) % period)
                return False
        return True

    def wait(self):
        return self._wait


def ratelimit_cache():
    return caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]


def queue_counts(pipeline, counters: list[tuple[str, str, str]]) -> None:
    """Adds to a Redis pipeline (of ratelimit_cache()) the commands that count one request in each
    (group, key, rate) fixed window; read_counts reads their replies."""
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    prefix = getattr(settings, "RATELIMIT_CACHE_PREFIX", "rl:")
    for group, key, rate in counters:
        period = _period(rate)
        # django-ratelimit's own window and key: the counters are the ones is_ratelimited would keep.
        window = ratelimit_core._get_window(key, period)  # noqa: SLF001
        cache_key = _window_cache_key(alias, prefix, group, key, rate, window)
        pipeline.set(cache_key, 0, ex=period + ratelimit_core.EXPIRATION_FUDGE, nx=True)
        pipeline.incr(cache_key)


@functools.lru_cache(maxsize=64)
def _period(rate: str) -> int:
    return _split_rate(rate)[1]


@functools.lru_cache(maxsize=4096)
def _window_cache_key(alias: str, prefix: str, group: str, key: str, rate: str, window: int) -> str:
    """django-ratelimit's cache key of one window, made once per window rather than per request (a
    hash and settings lookups: 5% of a list request's CPU time). `prefix` is an argument because the
    key depends on that setting."""
    raw_key = ratelimit_core._make_cache_key(group, window, rate, key, ratelimit_core.ALL)  # noqa: SLF001
    return caches[alias].make_and_validate_key(raw_key)


def read_counts(replies: list) -> list[int]:
    return [int(count) for count in replies[1::2]]


def count_requests(counters: list[tuple[str, str, str]]) -> list[int]:
    """Counts one request in each (group, key, rate) fixed window; returns the counts, in one round trip."""
    pipeline = ratelimit_cache().redis_client().pipeline(transaction=False)  # config.cache's client
    queue_counts(pipeline, counters)
    return read_counts(pipeline.execute())
