"""JSON endpoints the room page calls to join, wait, leave, and for the host to run the lobby.

They live beside the room at /j/<meeting id>/..., use the browser session (signed-in users) and
CSRF like every other POST of the site, and answer `{"state": ..., ...}` or `{"error": "..."}`.
A joiner proves who they are on later calls with the `ticket` the join answer gave them.
"""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.services import audit, client_ip
from config.errors import ConferError
from meetings.actions import admission, host_controls, live
from meetings.errors import JoinError
from meetings.models import Meeting


def _body(request) -> dict:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise JoinError(400, "The request body must be JSON.") from None
    if not isinstance(data, dict):
        raise JoinError(400, "The request body must be a JSON object.")
    return data


def _text(data: dict, name: str, limit: int = 4096) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise JoinError(400, f"{name} must be a string.")
    return value


def _ticket(request, data: dict | None = None) -> str:
    """The joiner's ticket: the X-Room-Ticket header, or a POST body's `ticket` -- never the URL,
    whose query strings end up in logs."""
    return request.META.get("HTTP_X_ROOM_TICKET", "")[:4096] or (_text(data, "ticket") if data else "")


def _audit(request, action: str, meeting, **details) -> None:
    """The room's critical actions, in the audit log: who (signed in, else the ticket's holder),
    from where (the client address), on which meeting."""
    user = request.user if request.user.is_authenticated else None
    audit(user, action, target=meeting, account=meeting.account, ip=client_ip(request), via="room", **details)


def _json_view(view):
    def wrapper(request, meeting_id, *args, **kwargs):
        try:
            return view(request, meeting_id, *args, **kwargs)
        except ConferError as exc:  # the room's error shape: {"error": <message>}
            response = JsonResponse({"error": exc.message}, status=exc.status)
            if retry_after := getattr(exc, "retry_after", None):  # ZoomAPIError's (a ConferError subclass)
                response["Retry-After"] = str(retry_after)
            return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


@require_POST
@_json_view
def join(request, meeting_id):
    """Body: {name, passcode | pwd, tk (invite link token), start (host start token) | zak (a host's ZAK)}
    -> the join state."""
    data = _body(request)
    answer = admission.join(
        meeting_id, user=request.user, name=_text(data, "name", 256), passcode=_text(data, "passcode", 64),
        pwd=_text(data, "pwd", 128), invite_token=_text(data, "tk"), start_token=_text(data, "start") or _text(data, "zak"),
        client=request.META.get("REMOTE_ADDR", ""),  # the client address (config/client_address.py)
    )
    return JsonResponse(answer.as_dict())


@require_GET
@_json_view
def join_status(request, meeting_id):
    """?ticket=... -> the joiner's current state (poll while waiting)."""
    return JsonResponse(admission.status(meeting_id, _ticket(request)).as_dict())


@require_POST
@_json_view
def leave(request, meeting_id):
    return JsonResponse(admission.leave(meeting_id, _ticket(request, _body(request))).as_dict())


@require_GET
@_json_view
def lobby(request, meeting_id):
    """The host's view of who is waiting."""
    meeting = host_controls.host_actor(meeting_id, ticket=_ticket(request), user=request.user)
    return JsonResponse({"waiting": admission.waiting_list(meeting)})


@require_POST
@_json_view
def admit(request, meeting_id, participant_id):
    meeting = host_controls.host_actor(meeting_id, ticket=_ticket(request, _body(request)), user=request.user)
    participant = admission.admit_waiting(meeting, participant_id)
    return JsonResponse({"participant_id": participant.key, "state": "admitted"})


@require_POST
@_json_view
def deny(request, meeting_id, participant_id):
    meeting = host_controls.host_actor(meeting_id, ticket=_ticket(request, _body(request)), user=request.user)
    participant = admission.deny_waiting(meeting, participant_id)
    return JsonResponse({"participant_id": participant.key, "state": "denied"})


RECORDING_AUDIT = {"recording.start": "meeting.recording_started", "recording.stop": "meeting.recording_stopped",
                   "recording.pause": "meeting.recording_paused", "recording.resume": "meeting.recording_resumed"}
PARTICIPANT_AUDIT = {"remove": "meeting.participant_removed", "make-cohost": "meeting.participant_role_changed",
                     "revoke-cohost": "meeting.participant_role_changed"}
TRANSCRIPTION_AUDIT = {"transcription.start": "meeting.transcription_started",
                       "transcription.stop": "meeting.transcription_stopped"}
CONTROL_ACTIONS = ("end", "mute_all", "recording.start", "recording.stop", "recording.pause", "recording.resume",
                   *TRANSCRIPTION_AUDIT)


@require_POST
@_json_view
def control(request, meeting_id):
    """Host controls from the room: {ticket, action: end | mute_all | recording.start|stop|pause|resume |
    transcription.start|stop}."""
    data = _body(request)
    action = _text(data, "action", 32)
    if action not in CONTROL_ACTIONS:
        raise JoinError(400, f"action must be one of {', '.join(CONTROL_ACTIONS)}.")
    # Co-hosts run the room; only a host ends it for everyone.
    meeting = host_controls.host_actor(meeting_id, ticket=_ticket(request, data), user=request.user,
                                       hosts_only=action == "end")
    if action == "end":
        live.end_meeting(meeting)
        _audit(request, "meeting.ended", meeting)
    elif action == "mute_all":
        live.mute_all(live.live_instance_or_error(meeting))
    elif action in TRANSCRIPTION_AUDIT:
        started = live.control_transcription(live.live_instance_or_error(meeting), action == "transcription.start")
        _audit(request, TRANSCRIPTION_AUDIT[action], meeting)
        return JsonResponse({"action": action, "live": True, "transcription": started})
    else:
        live.control_recording(live.live_instance_or_error(meeting), action)
        _audit(request, RECORDING_AUDIT[action], meeting)
    instance = Meeting.objects.get(pk=meeting.pk).live_instance()
    return JsonResponse({"action": action, "live": instance is not None,
                         "recording": instance.recording_state if instance else None})


@require_GET
@_json_view
def roster(request, meeting_id):
    """?ticket=... -> {"participants": [{id (media participant id), name, role}]} of the live meeting."""
    return JsonResponse({"participants": host_controls.roster(meeting_id, _ticket(request))})


@require_POST
@_json_view
def participant_action(request, meeting_id, participant_id, action):
    """Host controls on one participant: mute | ask-unmute | remove | make-cohost | revoke-cohost.
    `participant_id` is the media participant id the room sees; body: {ticket}."""
    data = _body(request)
    target = host_controls.act_on_participant(meeting_id, participant_id, action, ticket=_ticket(request, data),
                                              user=request.user)
    if action in PARTICIPANT_AUDIT:
        _audit(request, PARTICIPANT_AUDIT[action], target.meeting, participant=target.name,
               participant_id=target.key, role=target.role)
    return JsonResponse({"participant_id": target.media_participant_id or target.key, "action": action,
                         "role": target.role, "state": "removed" if target.removed else "admitted"})
