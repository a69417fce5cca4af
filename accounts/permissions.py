"""Zoom-style scope checks for /v2 views.

A view declares `required_scopes = {"GET": "meeting:read", "POST": "meeting:write", ...}`.
The caller's token needs that scope or its `:admin` variant; the admin variant additionally
allows acting on other users of the same account (see `has_admin_scope`).
"""

from rest_framework import status
from rest_framework.permissions import BasePermission

from config.api import ZoomAPIError

INSUFFICIENT_SCOPE = 4711


def token_scopes(request) -> set[str]:
    token = getattr(request, "auth", None)
    return set(token.scope.split()) if token is not None and token.scope else set()


def has_admin_scope(request, scope: str) -> bool:
    return f"{scope}:admin" in token_scopes(request)


class ZoomScopes(BasePermission):
    def has_permission(self, request, view):
        required = getattr(view, "required_scopes", {}).get(request.method)
        if required is None:
            return True
        scopes = token_scopes(request)
        if required in scopes or f"{required}:admin" in scopes:
            return True
        raise ZoomAPIError(
            status.HTTP_400_BAD_REQUEST,
            INSUFFICIENT_SCOPE,
            f"Invalid access token, does not contain scopes:[{required}, {required}:admin].",
        )
