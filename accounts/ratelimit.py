"""Rate limits and lockout answers for sign-in, MFA verification and the token endpoint.

Counting is django-ratelimit on the Redis cache (shared by every web process); lockout after
repeated failures is django-axes. Both answer 429: JSON on the JSON endpoints (`/auth/...`,
`/oauth/token`), a friendly page elsewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

OAUTH_PATHS = ("/auth/oauth/token", "/auth/oauth/revoke", "/auth/oauth/introspect", "/oauth/token")
JSON_PATH_PREFIXES = ("/auth/", "/oauth/")
PAGE_PATHS = ("/auth/oauth/authorize",)


def wants_json(request) -> bool:
    path = request.path
    if path.startswith(PAGE_PATHS):
        return False
    return path.startswith(JSON_PATH_PREFIXES) or "application/json" in request.META.get("HTTP_ACCEPT", "")


def too_many_requests(request, code: str, message: str, retry_after: int | None = None) -> HttpResponse:
    if request.path.startswith(OAUTH_PATHS):
        response: HttpResponse = JsonResponse({"error": code, "error_description": message}, status=429)
    elif wants_json(request):
        response = JsonResponse({"error": code, "message": message}, status=429)
    else:
        response = render(request, "accounts/too_many_requests.html", {"message": message}, status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def rate_limited(request, scope: str, *keys: str, include_address: bool = True) -> HttpResponse | None:
    """Counts this request against the `scope` limit for the client IP and each of `keys`.

    Returns the 429 answer once a limit is exceeded, else None.
    """
    rate = settings.AUTH_RATE_LIMITS[scope]
    address = [f"ip:{request.META.get('REMOTE_ADDR', '')}"] if include_address else []
    for key in (*address, *[k for k in keys if k]):
        if is_ratelimited(request, group=f"auth:{scope}", key=lambda group, req, key=key: key, rate=rate,
                          increment=True):
            return ratelimited_response(request)
    return None


FAILED_HERE_SECONDS = 15 * 60


def _failed_key(request, username: str) -> str:
    return f"auth:failed-here:{username.strip().lower()}:{request.META.get('REMOTE_ADDR', '')}"


def note_failed_sign_in(request, username: str) -> None:
    """Remembers that this address failed for this username (django-axes' failure signal)."""
    if request is not None and username:
        cache.set(_failed_key(request, username), 1, FAILED_HERE_SECONDS)


def username_limited(request, scope: str, username: str) -> HttpResponse | None:
    """The per-username limit, counted only for addresses that have failed for that username:
    anyone can send requests naming a victim, but that never slows the victim's own sign-in."""
    if not username or not cache.get(_failed_key(request, username)):
        return None
    return rate_limited(request, scope, "user:" + username.strip().lower(), include_address=False)


def ratelimited_response(request, exception=None) -> HttpResponse:
    return too_many_requests(request, "rate_limited", "Too many attempts. Wait a minute and try again.", 60)


def axes_username(request, credentials=None) -> str:
    """The name django-axes counts failures under: the email (any case), or `oauth-client:<id>`."""
    if credentials and credentials.get("username"):
        return str(credentials["username"]).strip().lower()
    data = getattr(request, "POST", None) or {}
    return str(data.get("username", "")).strip().lower()


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer once a (username, IP) pair has failed too often."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return too_many_requests(
        request, "locked_out",
        f"Too many failed attempts: sign-in is locked for {minutes} minutes. Reset your password if you forgot it.",
        int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )
