"""The room's breakout-room calls, beside the room at /j/<meeting id>/breakout... (browser session +
CSRF, the joiner's ticket in X-Room-Ticket, JSON in and out, errors `{"error": ...}` like the room's
other calls). The rules are in `meetings.actions.breakout`."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from meetings.actions import breakout
from meetings.join_views import _audit, _body, _json_view, _text, _ticket


@require_GET
@_json_view
def state(request, meeting_id):
    """-> the breakout rooms as the ticket's holder sees them (hosts and co-hosts: who is where)."""
    return JsonResponse(breakout.state(meeting_id, _ticket(request)))


@require_POST
@_json_view
def manage(request, meeting_id):
    """Hosts and co-hosts: {action: create | rename | assign | auto_assign | settings | open | broadcast
    | close, ...} -> the new state."""
    data = _body(request)
    action = _text(data, "action", 32)
    meeting, answer = breakout.manage(meeting_id, action, data, ticket=_ticket(request, data), user=request.user)
    details: dict = {"rooms": len(answer["rooms"])}
    if action == "broadcast":
        details["message"] = answer["message"]["text"] if answer["message"] else ""
    _audit(request, f"meeting.breakout_{action}", meeting, **details)
    return JsonResponse(answer)


@require_POST
@_json_view
def move(request, meeting_id):
    """{room: <id> | null (the main room)} -> {conference {id, uri}, participant_token,
    media_participant_id, room}: what the browser joins next."""
    data = _body(request)
    return JsonResponse(breakout.move(meeting_id, _ticket(request, data), data.get("room")))
