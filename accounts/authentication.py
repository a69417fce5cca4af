"""Bearer-token authentication of /v2: OAuth 2.0 access tokens issued by our authorization server
(django-oauth-toolkit).

A missing, unknown, expired or revoked token (or one whose user was deactivated) makes DRF raise
NotAuthenticated, which the /v2 exception handler answers with Zoom's 401
`{"code": 124, "message": "Invalid access token."}`.

The hot path (an `Authorization: Bearer` header) reads what it needs of the token (id, user,
application, scope, expiry) and the user's row from the cache (accounts.auth_cache: every change to
either counts at the next request), keyed by the token's SHA-256 checksum and the user's id.
From a token's second request in a process on, one Redis round trip reads both and counts the
request in its rate-limit windows: the process remembers what never changes for a token (its id and
user) and the user's account (checked against the row). A miss reads the database and fills the cache.
Whatever the hot path cannot decide (no entry and no token, a tombstone, expired, audience-bound,
the cache down) goes through django-oauth-toolkit's full validation, which gives the same answers
and error details as before.
"""

from __future__ import annotations

import hashlib
import logging
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import get_access_token_model

from accounts import auth_cache, services, throttling
from config.db import model_columns, model_from_row, prepared_cursor

log = logging.getLogger(__name__)
AccessToken = get_access_token_model()
User = get_user_model()
# The user's row, as plain SQL prepared once per pooled connection (config.db): building the
# equivalent ORM query cost more than running it.
ACTIVE_USER_SQL = f"SELECT {model_columns(User, 'u')} FROM {User._meta.db_table} u WHERE u.id = %s AND u.is_active"


class TokenFacts(NamedTuple):
    """What a process remembers of a token it has authenticated: its id and user never change; the
    account is the user's when last seen (a request checks it against the user's row)."""
    token_id: int
    user_id: int
    account_id: int


_TOKEN_FACTS: dict[str, TokenFacts] = {}


def _token_entry(checksum: str) -> dict | None:
    """What authentication needs of the token, from the cache, else the database (then cached)."""
    key = auth_cache.token_cache_key(checksum)
    entry = cache.get(key)
    if entry is not None:
        return auth_cache.cached(entry)
    token = (AccessToken.objects.filter(token_checksum=checksum).select_related("application")
             .only("id", "user_id", "application_id", "application__user_id", "scope", "expires", "resource").first())
    if token is None:
        return None
    application = token.application
    entry = {"id": token.pk, "user_id": token.user_id or (application.user_id if application else None),
             "application_id": token.application_id, "scope": token.scope, "expires": token.expires,
             "resource": bool(token.resource)}
    cache.add(key, entry, settings.TOKEN_CACHE_SECONDS)
    return entry


def _user_row(user_id: int) -> tuple | None:
    """The user's row from the database (then cached), None if there is no active user of that id."""
    with prepared_cursor() as cursor:
        cursor.execute(ACTIVE_USER_SQL, [user_id])
        row = cursor.fetchone()
    if row is not None:
        auth_cache.remember_user_row(user_id, row)
    return row


class BearerTokenAuthentication(OAuth2Authentication):
    www_authenticate_realm = "api"

    def authenticate(self, request):
        result = self._authenticate_from_cache(request)
        if result is None:
            result = super().authenticate(request)
        if result is not None:
            services.record_token_use(result[1])  # throttled: at most one write a minute per token
        return result

    def _authenticate_from_cache(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return None
        checksum = hashlib.sha256(raw.strip().encode("utf-8")).hexdigest()
        facts = _TOKEN_FACTS.get(checksum)
        counters = self._counters(request, facts)
        try:
            if facts is None:
                entry, row, counts = _token_entry(checksum), None, None
            else:
                entry, row, counts = auth_cache.read_at_once(checksum, facts.user_id, counters)
                entry = auth_cache.cached(entry) if entry is not None else _token_entry(checksum)  # expired: refilled
        except Exception:  # the cache being down must not lock anyone out: the full validation decides
            log.warning("token cache unavailable", exc_info=True)
            return None
        if entry is None or entry["resource"] or entry["user_id"] is None or entry["expires"] <= timezone.now():
            return None
        if row is None or facts is None or facts.user_id != entry["user_id"]:
            row = _user_row(entry["user_id"])
            if row is None:
                return None
        user = model_from_row(User, row)  # a fresh instance per request: views may change it
        seen = TokenFacts(entry["id"], user.pk, user.account_id)
        if seen != facts:  # a token new to this process, or its user moved to another account
            if len(_TOKEN_FACTS) > 10_000:
                _TOKEN_FACTS.clear()
            _TOKEN_FACTS[checksum] = seen
        elif counts is not None:
            request.counted_requests = (counters, counts)  # accounts.throttling takes them from here
        token = AccessToken(pk=entry["id"], user=user, application_id=entry["application_id"], scope=entry["scope"],
                            expires=entry["expires"], token_checksum=checksum)
        token._state.adding = False
        token._state.db = "default"
        return user, token

    @staticmethod
    def _counters(request, facts: TokenFacts | None) -> list:
        """The rate-limit windows to count this request in along with reading the token, if its view is
        throttled by accounts.throttling in the cache the token is read from."""
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if (facts is None or view is None or throttling.ZoomRateLimit not in view.throttle_classes
                or getattr(settings, "RATELIMIT_USE_CACHE", "default") != "default"):
            return []
        return throttling.request_counters(request, view, facts.token_id, facts.account_id)
