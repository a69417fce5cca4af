"""The whiteboard's endpoints: the room's JSON calls beside the room (/j/<meeting id>/whiteboard...,
the joiner's ticket in X-Room-Ticket, answers `{...}` or `{"error": ...}` like the room's other
calls), and the host's download of the kept picture from the past meeting's page."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ConferError
from meetings.errors import JoinError
from whiteboards import services
from whiteboards.models import Whiteboard


def _ticket(request) -> str:
    return request.META.get("HTTP_X_ROOM_TICKET", "")[:4096]


def _room_json(view):
    def wrapper(request, meeting_id, *args, **kwargs):
        try:
            return JsonResponse(view(request, meeting_id, *args, **kwargs))
        except ConferError as exc:
            return JsonResponse({"error": exc.message}, status=exc.status)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


@require_http_methods(["GET", "POST"])
@_room_json
def board(request, meeting_id):
    """GET -> {version, elements, hosts_only, may_draw, may_restrict}; POST {op, ...} changes it."""
    if request.method == "GET":
        return services.state(meeting_id, _ticket(request))
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise JoinError(400, "The request body must be a JSON object.")
    return services.change(meeting_id, _ticket(request), data)


@require_POST
@_room_json
def png(request, meeting_id):
    """Body: the board as a PNG (image/png), ?version= the version it shows."""
    try:
        version = int(request.GET.get("version", ""))
    except ValueError:
        raise JoinError(400, "version must be a number.") from None
    services.save_png(meeting_id, _ticket(request), version, request.body)
    return {"saved": True}


@login_required
@require_GET
def download(request, instance_id):
    """The whiteboard of one of the host's past meetings, as kept at its last change."""
    board = (Whiteboard.objects.filter(instance_id=instance_id, instance__meeting__host=request.user)
             .exclude(png="").first())
    if board is None:
        raise Http404("This meeting has no whiteboard.")
    return FileResponse(board.png.open("rb"), content_type="image/png", as_attachment=True,
                        filename=f"whiteboard-{instance_id}.png")
