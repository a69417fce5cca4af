"""What every /v2 endpoint shares: Zoom's error body and error codes.

Errors on /v2 are always `{"code": <int>, "message": <str>}` with Zoom's codes, so Zoom client
libraries (which check exactly these two fields) understand them.
"""

from __future__ import annotations

from rest_framework import exceptions, status
from rest_framework.response import Response

# Zoom error codes used across the API.
INVALID_TOKEN = 124
INVALID_PARAMETERS = 300
USER_NOT_FOUND = 1001
MEETING_NOT_FOUND = 3001
RATE_LIMITED = 429


class ZoomAPIError(exceptions.APIException):
    """Raise from a view or service to answer with Zoom's error body."""

    def __init__(self, http_status: int, code: int, message: str):
        super().__init__(detail=message)
        self.status_code = http_status
        self.code = code
        self.message = message


def invalid_parameter(message: str) -> ZoomAPIError:
    return ZoomAPIError(status.HTTP_400_BAD_REQUEST, INVALID_PARAMETERS, message)


def _first_validation_message(detail, prefix: str = "") -> str:
    """Names the first invalid field, e.g. "settings.jbh_time: A valid integer is required."."""
    if isinstance(detail, dict):
        for field, value in detail.items():
            name = f"{prefix}{field}" if field != "non_field_errors" else prefix.rstrip(".")
            return _first_validation_message(value, f"{name}." if name else "")
    if isinstance(detail, list) and detail:
        return _first_validation_message(detail[0], prefix)
    field = prefix.rstrip(".")
    return f"{field}: {detail}" if field else str(detail)


def zoom_exception_handler(exc, context):
    if isinstance(exc, ZoomAPIError):
        code, message, http_status = exc.code, exc.message, exc.status_code
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        code, message, http_status = INVALID_TOKEN, "Invalid access token.", status.HTTP_401_UNAUTHORIZED
    elif isinstance(exc, exceptions.ValidationError):
        code, message, http_status = INVALID_PARAMETERS, _first_validation_message(exc.detail), 400
    elif isinstance(exc, exceptions.ParseError):
        code, message, http_status = INVALID_PARAMETERS, "Request body is not valid JSON.", 400
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        code, message, http_status = INVALID_PARAMETERS, "Content-Type must be application/json.", 415
    elif isinstance(exc, exceptions.Throttled):
        code, message, http_status = RATE_LIMITED, "You have reached the maximum per-second rate limit for this API. Try again later.", 429
    elif isinstance(exc, exceptions.APIException):
        code, message, http_status = exc.status_code, str(exc.detail), exc.status_code
    else:
        return None  # a real bug: let Django log it
    response = Response({"code": code, "message": message}, status=http_status)
    if http_status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response
