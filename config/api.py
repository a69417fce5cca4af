"""What every /v2 endpoint shares: Zoom's error body and error codes, and list pagination.

Errors on /v2 are always `{"code": <int>, "message": <str>}` with Zoom's codes, so Zoom client
libraries (which check exactly these two fields) understand them.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import time
from collections.abc import Sequence

from django.core import signing
from django.db.models import Q
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from config.errors import ConferError, field_of

# Zoom error codes used across the API.
INVALID_TOKEN = 124
INVALID_PARAMETERS = 300
USER_NOT_FOUND = 1001
MEETING_NOT_FOUND = 3001
RATE_LIMITED = 429


class ZoomAPIError(ConferError, exceptions.APIException):
    """Raise from a view or service to answer with Zoom's error body. `field` is the field a
    "field: text" message names, unless given."""

    def __init__(self, http_status: int, code: int, message: str, field: str | None = None,
                 retry_after: int | None = None):
        super().__init__(message, status=http_status, code=code,
                         field=field if field is not None else field_of(message))
        self.status_code = http_status
        self.retry_after = retry_after  # seconds, sent as Retry-After (429s)


def invalid_parameter(message: str) -> ZoomAPIError:
    return ZoomAPIError(status.HTTP_400_BAD_REQUEST, INVALID_PARAMETERS, message)


def first_validation_error(detail, prefix: str = "") -> tuple[str | None, str]:
    """(field, message) of the first invalid field, e.g. ("settings.jbh_time", "A valid integer is required.")."""
    if isinstance(detail, dict):
        for field, value in detail.items():
            name = f"{prefix}{field}" if field != "non_field_errors" else prefix.rstrip(".")
            return first_validation_error(value, f"{name}." if name else "")
    if isinstance(detail, list) and detail:
        return first_validation_error(detail[0], prefix)
    return prefix.rstrip(".") or None, str(detail)


def _first_validation_message(detail) -> str:
    """Zoom's way of naming the field: "settings.jbh_time: A valid integer is required."."""
    field, message = first_validation_error(detail)
    return f"{field}: {message}" if field else message


def zoom_exception_handler(exc, context):
    if isinstance(exc, ZoomAPIError):
        code, message, http_status = exc.code, exc.message, exc.status_code
    elif isinstance(exc, ConferError):  # another app's error reaching /v2: same shape, Zoom-style code
        code = exc.code if isinstance(exc.code, int) else exc.status
        message, http_status = exc.message, exc.status
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
    elif isinstance(exc, Http404):  # e.g. DRF's, for a `?format=` no renderer has
        code, message, http_status = NOT_FOUND, str(exc) or "Not found.", status.HTTP_404_NOT_FOUND
    else:
        return None  # a real bug: let Django log it
    # A message may echo the caller's input: a lone surrogate ("\ud800" in the JSON) cannot be encoded.
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    response = Response({"code": code, "message": message}, status=http_status)
    if http_status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    if isinstance(exc, exceptions.Throttled) and exc.wait:  # type: ignore[attr-defined]  # drf-stubs omit Throttled.wait
        # DRF already rounds the wait up to whole seconds: adding one said 61 s for a 60 s window.
        response["Retry-After"] = str(max(1, int(exc.wait)))  # type: ignore[attr-defined]  # (set by its __init__)
    if isinstance(exc, ZoomAPIError) and exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


# --- more Zoom error codes -----------------------------------------------------------------------

NOT_FOUND = 404  # an unknown /v2 path
CANNOT_ACCESS_MEETING = 3000  # e.g. the meeting is not live, or the action does not fit its state
MEETING_IN_PROGRESS = 3002  # "Sorry, you cannot delete this meeting since it is in progress."
PMI_NOT_DELETABLE = 3018  # "Not allowed to delete PMI."


def not_found(code: int, message: str) -> ZoomAPIError:
    return ZoomAPIError(status.HTTP_404_NOT_FOUND, code, message)


# --- pagination: page_size + opaque, expiring next_page_token -----------------------------------
#
# Lists page with a keyset cursor (stable when rows are added or removed between two requests);
# Zoom's deprecated `page_number` picks a page by offset, and its token goes on from there.
# The cursor travels in a signed, timestamped token: clients cannot forge or edit it, and it
# expires after 15 minutes like Zoom's. A token is bound to the list it came from (`scope`).

PAGE_TOKEN_MAX_AGE = 15 * 60
DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 300


class _PageTokenSigner(signing.TimestampSigner):
    """A TimestampSigner whose clock can be set, so tests can craft an aged token."""

    def __init__(self, issued_at: float | None = None):
        super().__init__(salt="config.api.page-token")
        self.issued_at = issued_at

    def timestamp(self):
        return signing.b62_encode(int(self.issued_at if self.issued_at is not None else time.time()))


def _encode_value(value):
    if isinstance(value, _dt.datetime):
        return {"dt": value.isoformat()}
    return value


def _decode_value(value):
    if isinstance(value, dict) and "dt" in value:
        return _dt.datetime.fromisoformat(value["dt"])
    return value


def make_page_token(scope: str, state: dict, issued_at: float | None = None) -> str:
    # Not compressed: a cursor's few values gain nothing from zlib (and tokens made compressed still read).
    return _PageTokenSigner(issued_at).sign_object({"s": scope, **state})


def read_page_token(token: str, scope: str) -> dict:
    try:
        state = _PageTokenSigner().unsign_object(token, max_age=PAGE_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise invalid_parameter("next_page_token: The next page token has expired.") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise invalid_parameter("next_page_token: Invalid next page token.") from None
    if not isinstance(state, dict) or state.get("s") != scope:
        raise invalid_parameter("next_page_token: The next page token does not belong to this request.")
    return state


def page_size_param(request, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    raw = request.query_params.get("page_size")
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_parameter("page_size: A valid integer is required.") from None
    if not 1 <= value <= maximum:
        raise invalid_parameter(f"page_size: Must be between 1 and {maximum}.")
    return value


@dataclasses.dataclass
class Page:
    items: list
    page_size: int
    total_records: int
    next_page_token: str
    page_number: int

    @property
    def page_count(self) -> int:
        return math.ceil(self.total_records / self.page_size) if self.total_records else 0

    def envelope(self) -> dict:
        """The pagination fields every Zoom list answers with."""
        return {
            "next_page_token": self.next_page_token,
            "page_count": self.page_count,
            "page_size": self.page_size,
            "total_records": self.total_records,
        }


@dataclasses.dataclass
class PageRequest:
    """Which page a list request asks for: its size and number, and either an offset (Zoom's
    page_number) or the keyset cursor of a next_page_token (`after`: the last row's ordering values)."""
    size: int
    number: int
    offset: int
    after: list | None


def read_page_request(request, scope: str, key_length: int, default_size: int = DEFAULT_PAGE_SIZE,
                      max_size: int = MAX_PAGE_SIZE) -> PageRequest:
    """page_size, then next_page_token (bound to `scope`, a cursor of `key_length` values) or page_number."""
    page_size = page_size_param(request, default_size, max_size)
    token = request.query_params.get("next_page_token") or ""
    if token:
        state = read_page_token(token, scope)
        after = [_decode_value(v) for v in state.get("k", [])]
        if len(after) != key_length:
            raise invalid_parameter("next_page_token: Invalid next page token.")
        return PageRequest(page_size, int(state.get("n", 2)), 0, after)
    page_number = 1
    if request.query_params.get("page_number") not in (None, ""):
        # Zoom's deprecated page_number: that page by offset; its next_page_token goes on from there.
        raw = request.query_params["page_number"]
        if not raw.isdigit() or not raw.isascii() or not 1 <= int(raw) <= 10**6:
            raise invalid_parameter("page_number: Must be a whole number of at least 1.")
        page_number = int(raw)
    return PageRequest(page_size, page_number, (page_number - 1) * page_size, None)


def next_page_token(scope: str, wanted: PageRequest, last_key: Sequence) -> str:
    """The token of the page after `wanted`, whose last row has the ordering values `last_key`."""
    return make_page_token(scope, {"k": [_encode_value(value) for value in last_key], "n": wanted.number + 1})


def paginate(request, queryset, *, ordering: Sequence[str], scope: str,
             default_size: int = DEFAULT_PAGE_SIZE, max_size: int = MAX_PAGE_SIZE) -> Page:
    """One page of `queryset` in `ordering` (ascending field names, unique together, last one the pk).

    `scope` names the list (endpoint, caller, filters): a token from another list is refused.
    `default_size`/`max_size`: the operation's own page_size bounds where Zoom's differ from 30/300.
    """
    wanted = read_page_request(request, scope, len(ordering), default_size, max_size)
    total = queryset.count()
    ordered = queryset.order_by(*ordering)
    if wanted.offset:
        ordered = ordered[wanted.offset:]
    if wanted.after is not None:
        last = wanted.after
        after = Q()
        for i, field in enumerate(ordering):
            step = Q(**{f"{field}__gt": last[i]})
            for j in range(i):
                step &= Q(**{ordering[j]: last[j]})
            after |= step
        ordered = ordered.filter(after)
    rows = list(ordered[: wanted.size + 1])
    items, more = rows[:wanted.size], len(rows) > wanted.size
    token = next_page_token(scope, wanted, [_attr_path(items[-1], field) for field in ordering]) if more else ""
    return Page(items, wanted.size, total, token, wanted.number)


def _attr_path(obj, field: str):
    for part in field.split("__"):
        obj = getattr(obj, part)
    return obj
