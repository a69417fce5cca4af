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
from django.db.models import Count, Q, Window
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
    else:
        return None  # a real bug: let Django log it
    # A message may echo the caller's input: a lone surrogate ("\ud800" in the JSON) cannot be encoded.
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    response = Response({"code": code, "message": message}, status=http_status)
    if http_status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    if isinstance(exc, exceptions.Throttled) and exc.wait:  # type: ignore[attr-defined]  # drf-stubs omit Throttled.wait
        response["Retry-After"] = str(int(exc.wait) + 1)  # type: ignore[attr-defined]  # (set by its __init__)
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
    return _PageTokenSigner(issued_at).sign_object({"s": scope, **state}, compress=True)


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


def paginate(request, queryset, *, ordering: Sequence[str], scope: str,
             default_size: int = DEFAULT_PAGE_SIZE, max_size: int = MAX_PAGE_SIZE, count_in_page: bool = False) -> Page:
    """One page of `queryset` in `ordering` (ascending field names, unique together, last one the pk).

    `scope` names the list (endpoint, caller, filters): a token from another list is refused.
    `default_size`/`max_size`: the operation's own page_size bounds where Zoom's differ from 30/300.
    `count_in_page`: count the records in the page's query (a window function) instead of a separate
    COUNT query, for a plain model queryset (no distinct, values or aggregation) on a hot path.
    """
    page_size = page_size_param(request, default_size, max_size)
    token = request.query_params.get("next_page_token") or ""
    ordered = queryset.order_by(*ordering)
    total = None
    if count_in_page and not token:  # after a token the page's query sees only the rest: count apart
        ordered = ordered.annotate(page_total_records=Window(Count("*")))
    else:
        total = queryset.count()
    page_number = 1
    if not token and request.query_params.get("page_number") not in (None, ""):
        # Zoom's deprecated page_number: that page by offset; its next_page_token goes on from there.
        raw = request.query_params["page_number"]
        if not raw.isdigit() or not raw.isascii() or not 1 <= int(raw) <= 10**6:
            raise invalid_parameter("page_number: Must be a whole number of at least 1.")
        page_number = int(raw)
        ordered = ordered[(page_number - 1) * page_size:]
    if token:
        state = read_page_token(token, scope)
        last = [_decode_value(v) for v in state.get("k", [])]
        if len(last) != len(ordering):
            raise invalid_parameter("next_page_token: Invalid next page token.")
        after = Q()
        for i, field in enumerate(ordering):
            step = Q(**{f"{field}__gt": last[i]})
            for j in range(i):
                step &= Q(**{ordering[j]: last[j]})
            after |= step
        ordered = ordered.filter(after)
        page_number = int(state.get("n", 2))
    rows = list(ordered[: page_size + 1])
    if total is None:
        total = rows[0].page_total_records if rows else (0 if page_number == 1 else queryset.count())
    items, more = rows[:page_size], len(rows) > page_size
    next_token = ""
    if more:
        key = [_encode_value(_attr_path(items[-1], field)) for field in ordering]
        next_token = make_page_token(scope, {"k": key, "n": page_number + 1})
    return Page(items, page_size, total, next_token, page_number)


def _attr_path(obj, field: str):
    for part in field.split("__"):
        obj = getattr(obj, part)
    return obj
