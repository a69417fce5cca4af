"""Zoom-style rate limits for /v2: each request is light, medium or heavy, counted per token and per
account in Redis (django-ratelimit's fixed windows). Over the limit: 429, Zoom's code 429, Retry-After.

Every /v2 view names the class of each method it answers (`rate_limit_classes = {"GET": "medium"}`):
the label Zoom's reference gives the operation, or for operations Zoom lacks the one
`docs/openapi/extra.openapi.json` gives (tests/accounts/test_v2_rate_limit_classes.py holds every
view to its documented label). HEAD counts as GET.

Both counters of a request (token and account) are counted in one Redis round trip (a script of
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


# One round trip, one command: GETs the first ARGV[1] keys, then counts one request in the window of
# each other key (SET NX EX then INCR, django-ratelimit's add-then-incr; ARGV[1 + n]: the nth window's
# expiry). Replies: the values read (false: missing), then the counts. A Lua script rather than a
# pipeline of the same commands: half the client's CPU time for it.
_READ_AND_COUNT = """
local reads = tonumber(ARGV[1])
local replies = {}
for i = 1, reads do replies[i] = redis.call('GET', KEYS[i]) end
for i = reads + 1, #KEYS do
  redis.call('SET', KEYS[i], 0, 'EX', ARGV[i - reads + 1], 'NX')
  replies[i] = redis.call('INCR', KEYS[i])
end
return replies
"""


@functools.cache
def _read_and_count_script(client):
    return client.register_script(_READ_AND_COUNT)  # EVALSHA, loading the script where Redis lacks it


def read_and_count(client, read_keys: list[str], counters: list[tuple[str, str, str]]) -> tuple[list, list[int]]:
    """Reads `read_keys` (cache keys as made, values as stored: None when missing) and counts one request
    in each (group, key, rate) fixed window of ratelimit_cache(), whose redis-py client `client` is (or
    which has no counters), in one round trip: (values, counts)."""
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    prefix = getattr(settings, "RATELIMIT_CACHE_PREFIX", "rl:")
    keys, expiries = list(read_keys), []
    for group, key, rate in counters:
        period = _period(rate)
        # django-ratelimit's own window and key: the counters are the ones is_ratelimited would keep.
        window = ratelimit_core._get_window(key, period)  # noqa: SLF001
        keys.append(_window_cache_key(alias, prefix, group, key, rate, window))
        expiries.append(period + ratelimit_core.EXPIRATION_FUDGE)
    replies = _read_and_count_script(client)(keys=keys, args=[len(read_keys), *expiries], client=client)
    return replies[:len(read_keys)], [int(count) for count in replies[len(read_keys):]]


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


def count_requests(counters: list[tuple[str, str, str]]) -> list[int]:
    """Counts one request in each (group, key, rate) fixed window; returns the counts, in one round trip."""
    return read_and_count(ratelimit_cache().redis_client(), [], counters)[1]  # config.cache's client
