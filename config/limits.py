"""A cap on JSON request bodies (JSON_BODY_MAX_BYTES), before any view or parser reads them.

DRF's JSON parser reads the whole stream, whatever Django's DATA_UPLOAD_MAX_MEMORY_SIZE says (that
one only guards form parsing), so the size is checked here from Content-Length; bodies sent without
one are read up to the cap plus one byte and refused past it. The answer speaks each area's format:
Zoom's `{"code", "message"}` on /v2, `{"status", "message"}` on /mind, `{"error", "message"}` elsewhere.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.http import JsonResponse


def _too_large(request, limit: int) -> JsonResponse:
    message = f"The request body is larger than {limit} bytes."
    if request.path.startswith("/v2/"):
        body = {"code": 413, "message": message}
    elif request.path.startswith("/mind/"):
        body = {"status": 413, "message": message}
    else:
        body = {"error": message, "message": message}
    return JsonResponse(body, status=413)


class BodySizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.JSON_BODY_MAX_BYTES
        if "json" in request.META.get("CONTENT_TYPE", ""):
            length = request.META.get("CONTENT_LENGTH") or ""
            if length.isdigit():
                if int(length) > limit:
                    return _too_large(request, limit)
            elif request.method in ("POST", "PUT", "PATCH", "DELETE"):
                data = request.read(limit + 1)  # no Content-Length: read at most the cap
                if len(data) > limit:
                    return _too_large(request, limit)
                # hand the (small) body on as if unread
                # Django has no public way to hand on a body that was already read
                request._body, request._stream, request._read_started = data, io.BytesIO(data), False  # noqa: SLF001
        return self.get_response(request)
