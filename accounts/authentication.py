"""Bearer-token authentication of /v2: OAuth 2.0 access tokens issued by our authorization server
(django-oauth-toolkit).

A missing, unknown, expired or revoked token (or one whose user was deactivated) makes DRF raise
NotAuthenticated, which the /v2 exception handler answers with Zoom's 401
`{"code": 124, "message": "Invalid access token."}`.

The hot path (an `Authorization: Bearer` header) reads what it needs of the token (id, user,
application, scope, expiry) from the cache, keyed by the token's SHA-256 checksum, and the user
from the database on every request, so a deactivated user or a changed role counts at once.
Revocation counts at once too: deleting a token (revoke, sign-out of all sessions, a deleted
application or user) replaces its cache entry by a tombstone, and entries are only ever filled with
`cache.add`, so a request that read the token just before it was deleted cannot put it back. A
token saved with new values (scope, expiry) drops its entry. Entries live TOKEN_CACHE_SECONDS.
Whatever the hot path cannot decide (no entry and no token, a tombstone, expired, audience-bound,
the cache down) goes through django-oauth-toolkit's full validation, which gives the same answers
and error details as before.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import get_access_token_model

from accounts import services
from config.db import fetch_model, model_columns

log = logging.getLogger(__name__)
AccessToken = get_access_token_model()
User = get_user_model()
# The user is read on every request (deactivation counts at once): as plain SQL, prepared once per
# pooled connection (config.db), since building the equivalent ORM query cost more than running it.
ACTIVE_USER_SQL = f"SELECT {model_columns(User, 'u')} FROM {User._meta.db_table} u WHERE u.id = %s AND u.is_active"
REVOKED = "revoked"


def token_cache_key(checksum: str) -> str:
    return f"oauth-token:{checksum}"


def _token_entry(checksum: str) -> dict | None:
    """What authentication needs of the token, from the cache, else the database (then cached)."""
    key = token_cache_key(checksum)
    entry = cache.get(key)
    if entry is not None:
        return entry if entry != REVOKED else None
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
        try:
            entry = _token_entry(checksum)
        except Exception:  # the cache being down must not lock anyone out: the full validation decides
            log.warning("token cache unavailable", exc_info=True)
            return None
        if entry is None or entry["resource"] or entry["user_id"] is None or entry["expires"] <= timezone.now():
            return None
        user = fetch_model(User, ACTIVE_USER_SQL, [entry["user_id"]])
        if user is None:
            return None
        token = AccessToken(pk=entry["id"], user=user, application_id=entry["application_id"], scope=entry["scope"],
                            expires=entry["expires"], token_checksum=checksum)
        token._state.adding = False
        token._state.db = "default"
        return user, token

