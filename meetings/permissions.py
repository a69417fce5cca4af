"""Scope checks for the few operations whose Zoom scopes do not follow `scope` / `scope:admin`."""

from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission

from accounts.permissions import INSUFFICIENT_SCOPE, token_scopes
from config.api import ZoomAPIError


class AnyOfScopes(BasePermission):
    """The view's `any_scopes = {"POST": ("a", "b")}`: the token needs at least one of them."""

    def has_permission(self, request, view):
        method = "GET" if request.method == "HEAD" else request.method
        wanted = getattr(view, "any_scopes", {}).get(method)
        if not wanted:  # a method the map does not name is refused, never let through unchecked
            raise exceptions.MethodNotAllowed(request.method)
        if token_scopes(request) & set(wanted):
            return True
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, INSUFFICIENT_SCOPE,
                           f"Invalid access token, does not contain scopes:[{', '.join(wanted)}].")
