"""Every call from the meetings app to the media engine, in one place.

The engine is reached only through `mind.client.get_mind()` (the Mind API interface: embedded
engine or a remote Mind deployment). Field names follow the Mind API: conferences have `name`
and `layout`; participants `name` and `role` (moderator, presenter, speaker, attendee) and get a
participant `token`; streamings have a destination `url`.

When the engine is not configured (`get_mind()` refuses, e.g. MIND_APPLICATION_ID unset),
`available()` is false and calls raise `MediaError`. Engine errors become `MediaError`, which
callers turn into a clear 503.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.errors import ConferError
from mind.client import MindError, get_mind

logger = logging.getLogger(__name__)

# Least privilege: the engine token goes to the browser, so no meeting role gets the engine's
# `moderator` (which could change anyone's role, place SIP calls, record, expel through the Mind
# REST API). Hosts and co-hosts are `presenter`s (camera, microphone and screen); their moderator
# actions go through /j/<id>/... endpoints that check the meeting role and use the application token.
ROLE_FOR = {"host": "presenter", "alternative_host": "presenter", "co_host": "presenter", "attendee": "speaker"}


class MediaError(ConferError):
    """The media engine refused (its status) or could not be reached (503)."""

    status = 503

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message, status=status)


def _client():
    try:
        return get_mind()
    except (ValueError, TypeError, ImproperlyConfigured) as exc:  # e.g. MIND_APPLICATION_ID unset
        raise MediaError(f"The media engine is not configured: {exc}", 503) from exc


def is_remote() -> bool:
    """Whether the engine is a remote Mind (MIND_API_URL), which keeps nothing after a conference ends."""
    return bool(getattr(settings, "MIND_API_URL", None))


def available() -> bool:
    try:
        return _client() is not None
    except MediaError:
        return False


def _call(method: str, *args, **kwargs):
    client = _client()
    try:
        return getattr(client, method)(*args, **kwargs)
    except MindError as exc:
        logger.warning("media engine %s failed: %s", method, exc)
        raise MediaError(str(exc), getattr(exc, "status", None)) from exc


def create_conference(name: str) -> str:
    """A conference for a starting meeting instance; returns its id ("" without an engine)."""
    conference = _call("create_conference", name=name, layout="mosaic")
    return conference["id"] if conference else ""


def delete_conference(conference_id: str) -> None:
    if conference_id:
        _call("delete_conference", conference_id)


def add_participant(conference_id: str, name: str, role: str) -> tuple[str, str]:
    """Creates the participant in the conference; returns (participant id, participant token)."""
    if not conference_id:
        return "", ""
    participant = _call("create_participant", conference_id, name=name, role=ROLE_FOR.get(role, "speaker"))
    return (participant["id"], participant["token"]) if participant else ("", "")


def remove_participant(conference_id: str, participant_id: str) -> None:
    if conference_id and participant_id:
        _call("delete_participant", conference_id, participant_id)


def set_role(conference_id: str, participant_id: str, role: str) -> None:
    """Gives the participant the engine role of a meeting role (co-host -> presenter)."""
    if conference_id and participant_id:
        _call("update_participant", conference_id, participant_id, role=ROLE_FOR.get(role, "speaker"))


def tell_participant(conference_id: str, participant_id: str, instruction: dict) -> None:
    """A room instruction for one participant's client, as a Mind message from the application.

    The room reads messages from the application as JSON `{"type": "confer.<what>", ...}`:
    `confer.mute` (mute your microphone) and `confer.unmute_request` (the host asks you to unmute;
    the person decides)."""
    if conference_id and participant_id:
        _call("send_message", conference_id, json.dumps(instruction), participant_id)


def tell_everyone(conference_id: str, instruction: dict) -> None:
    """A room instruction for every client in the conference (e.g. `confer.whiteboard`: the shared
    whiteboard changed), as one Mind message from the application to the conference."""
    if conference_id:
        _call("send_message", conference_id, json.dumps(instruction), conference_id)


def mute_participant(conference_id: str, participant_id: str) -> None:
    """Asks the participant's client to mute (the Mind API has no server-side mute flag)."""
    tell_participant(conference_id, participant_id, {"type": "confer.mute"})


def ask_to_unmute(conference_id: str, participant_id: str) -> None:
    tell_participant(conference_id, participant_id, {"type": "confer.unmute_request"})


def conference_uri(conference_id: str) -> str:
    """The conference URI a browser passes to the SDK's `MindSDK.join`: the remote Mind deployment's,
    or the embedded engine's path below this site (`/mind/<applicationId>/<conferenceId>`; the page
    makes it absolute with its own origin, so it works behind any proxy)."""
    if not conference_id or not available():
        return ""
    application_id = settings.MIND_APPLICATION_ID
    base = (getattr(settings, "MIND_API_URL", None) or "").rstrip("/") or "/mind"
    return f"{base}/{application_id}/{conference_id}"


def sip_dial_out(conference_id: str, participant_id: str, *, caller: str, callee: str, timeout: int = 30) -> str:
    """Calls `callee` (a SIP URI) as the participant; returns the SIP status once it is answered or
    failed (up to `timeout` seconds of ringing: call it from a task, never a request)."""
    answer = _call("sip_dial_out", conference_id, participant_id, from_=caller, to=callee, timeout=timeout)
    return (answer or {}).get("status", "error")


def start_recording(conference_id: str) -> None:
    """Starts, or resumes, the conference recording."""
    if conference_id:
        _call("start_recording", conference_id)


def stop_recording(conference_id: str) -> None:
    """Stops, or pauses, the conference recording."""
    if conference_id:
        _call("stop_recording", conference_id)


def set_transcription(conference_id: str, started: bool) -> bool:
    """Starts or stops live transcription (captions); returns whether it is on now."""
    if not conference_id:
        raise MediaError("The media engine is not available, so the meeting cannot be transcribed.", 503)
    answer = _call("set_transcription", conference_id, started)
    return bool(answer.get("started")) if answer else started


def start_streaming(conference_id: str, url: str) -> str:
    """Starts RTMP(S) streaming to `url`; returns the streaming id."""
    if not conference_id:
        raise MediaError("The media engine is not available, so the meeting cannot be streamed.", 503)
    streaming = _call("create_streaming", conference_id, url=url)
    return streaming["id"] if streaming else ""


def stop_streaming(conference_id: str, streaming_id: str) -> None:
    if conference_id and streaming_id:
        _call("delete_streaming", conference_id, streaming_id)
