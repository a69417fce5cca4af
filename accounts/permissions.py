"""Zoom-style scope checks for /v2 views.

A view declares `required_scopes = {"GET": "meeting:read", "POST": "meeting:write", ...}`.
The caller's token needs that scope or its `:admin` variant; the admin variant additionally
allows acting on other users of the same account (see `has_admin_scope`).

The map is exhaustive: HEAD needs GET's scope, and any method the map does not name (OPTIONS, a
method a view forgot to declare) is refused with 405, never let through unchecked.

A token without the scope gets what Zoom answers: HTTP 400 with code 4711,
`Invalid access token, does not contain scopes:[meeting:read, meeting:read:admin].` (the reference
documents HTTP 400 for scope errors; Zoom's servers send code 4711 with this message).
"""

from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission

from config.api import ZoomAPIError

INSUFFICIENT_SCOPE = 4711


def token_scopes(request) -> set[str]:
    token = getattr(request, "auth", None)
    return set(token.scope.split()) if token is not None and getattr(token, "scope", None) else set()


def has_admin_scope(request, scope: str) -> bool:
    """Account-wide access: the token holds `<scope>:admin` and its user is still an owner or admin."""
    user = getattr(request, "user", None)
    return f"{scope}:admin" in token_scopes(request) and bool(getattr(user, "is_account_admin", False))


def insufficient_scope(*scopes: str) -> ZoomAPIError:
    return ZoomAPIError(
        status.HTTP_400_BAD_REQUEST,
        INSUFFICIENT_SCOPE,
        f"Invalid access token, does not contain scopes:[{', '.join(scopes)}].",
    )


class ZoomScopes(BasePermission):
    def has_permission(self, request, view):
        method = "GET" if request.method == "HEAD" else request.method
        required = (getattr(view, "required_scopes", None) or {}).get(method)
        if required is None:
            raise exceptions.MethodNotAllowed(request.method)
        scopes = token_scopes(request)
        if required in scopes or f"{required}:admin" in scopes:
            return True
        raise insufficient_scope(required, f"{required}:admin")
