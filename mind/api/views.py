"""The Mind REST API, served under /mind/. Thin: parse, authenticate, call `mind.services`, answer.

Errors are JSON `{"status": <code>, "message": "..."}` with the Mind API's status codes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os

from django.http import FileResponse, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from config.errors import ConferError
from mind import services
from mind.api.auth import authenticate_request
from mind.representations import conference_json, participant_json, streaming_json
from mind.services import MindApiError

logger = logging.getLogger(__name__)


def error_response(error: ConferError) -> JsonResponse:
    """The Mind API's error shape: {"status", "message"}."""
    response = JsonResponse({"status": error.status, "message": error.message}, status=error.status)
    for name, value in getattr(error, "headers", {}).items():
        response[name] = value
    return response


def json_body(request) -> dict:
    """The request's JSON object; {} for an empty body. 415 for a body that is not JSON."""
    if not request.body:
        return {}
    content_type = request.content_type or ""
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise MindApiError(415, "The request body must be application/json.")
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MindApiError(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise MindApiError(400, "The request body must be a JSON object.")
    return data


def endpoint(**handlers):
    """A view answering the given HTTP methods: `endpoint(GET=fn, PATCH=fn)`.

    Each handler is called as `fn(request, actor, **url_kwargs)` and returns a response, a JSON-able
    value, or None (an empty 200, as the seeds answer deletions and actions).
    """

    @csrf_exempt  # bearer tokens only: no cookies, so no CSRF
    def view(request, application_id, **kwargs):
        handler = handlers.get(request.method)
        if handler is None:
            response = error_response(MindApiError(405, f"{request.method} is not allowed here."))
            response["Allow"] = ", ".join(handlers)
            return response
        try:
            actor = authenticate_request(request, application_id)
            result = handler(request, actor, **kwargs)
        except MindApiError as error:
            return error_response(error)
        if isinstance(result, HttpResponseBase):
            return result
        if result is None:
            return HttpResponse(status=200)
        return JsonResponse(result, safe=False)

    view.allowed_methods = tuple(handlers)  # type: ignore[attr-defined]  # mypy has no function attributes; the OpenAPI coverage test reads it
    return view


@csrf_exempt
def not_found_view(request):
    """Any other path under /mind/, a malformed id included: the Mind API's JSON 404."""
    return error_response(MindApiError(404, "No such resource."))


def _detailed(request) -> bool:
    value = request.GET.get("detailed", "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise MindApiError(400, "`detailed` must be true or false.")
    return value in ("true", "1")


# --- conferences ----------------------------------------------------------------------------------


def create_conference(request, actor):
    return conference_json(services.create_conference(actor, json_body(request)))


def get_conference(request, actor, conference_id):
    detailed = _detailed(request)
    return services.conference_view(actor, services.get_conference(actor, conference_id), detailed=detailed)


def update_conference(request, actor, conference_id):
    return conference_json(services.update_conference(actor, conference_id, json_body(request)))


def delete_conference(request, actor, conference_id):
    services.delete_conference(actor, conference_id)


# --- participants ---------------------------------------------------------------------------------


def list_participants(request, actor, conference_id):
    return [participant_json(p) for p in services.list_participants(actor, conference_id)]


def create_participant(request, actor, conference_id):
    participant, token = services.create_participant(actor, conference_id, json_body(request))
    return {"id": str(participant.id), "token": token, **participant_json(participant)}


def delete_all_participants(request, actor, conference_id):
    services.delete_all_participants(actor, conference_id)


def get_participant(request, actor, conference_id, participant_id):
    return participant_json(services.get_participant(actor, conference_id, participant_id))


def update_participant(request, actor, conference_id, participant_id):
    return participant_json(services.update_participant(actor, conference_id, participant_id, json_body(request)))


def delete_participant(request, actor, conference_id, participant_id):
    services.delete_participant(actor, conference_id, participant_id)


def sip_dial_out(request, actor, conference_id, participant_id):
    return services.sip_dial_out(actor, conference_id, participant_id, json_body(request))


def sip_forward(request, actor, conference_id, participant_id):
    services.sip_forward(actor, conference_id, participant_id, json_body(request))


def sip_hang_up(request, actor, conference_id, participant_id):
    json_body(request)  # still 415 on a non-JSON body
    services.sip_hang_up(actor, conference_id, participant_id)


# --- messages -------------------------------------------------------------------------------------


def send_message(request, actor, conference_id):
    return services.send_message(actor, conference_id, json_body(request))


# --- recording ------------------------------------------------------------------------------------


def start_recording(request, actor, conference_id):
    json_body(request)
    services.start_recording(actor, conference_id)


def stop_recording(request, actor, conference_id):
    json_body(request)
    services.stop_recording(actor, conference_id)


def _recording_type(accept: str) -> str:
    """MP4 unless the client prefers JPEG (the thumbnail); 406 if it wants neither."""
    wanted = []
    for item in accept.split(","):
        media_type, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_type and quality > 0:
            wanted.append((quality, media_type.strip().lower()))
    if not wanted:
        return "video/mp4"
    for _, media_type in sorted(wanted, key=lambda pair: -pair[0]):
        if media_type in ("video/mp4", "video/*", "*/*"):
            return "video/mp4"
        if media_type in ("image/jpeg", "image/*"):
            return "image/jpeg"
    raise MindApiError(406, "The recording is available as video/mp4 or image/jpeg.")


def _file(path, content_type):
    return FileResponse(open(path, "rb"), content_type=content_type)


def _sha256_b64(path) -> str:
    """The file's SHA-256 (base64), kept beside it (`<name>.sha256`) for as long as the file is unchanged."""
    stat = path.stat()
    key = f"{stat.st_size}:{stat.st_mtime_ns}"
    sidecar = path.with_name(path.name + ".sha256")
    try:
        cached_key, value = sidecar.read_text().split(" ", 1)
        if cached_key == key:
            return value
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256()
    with open(path, "rb") as reader:
        for chunk in iter(lambda: reader.read(1024 * 1024), b""):
            digest.update(chunk)
    value = base64.b64encode(digest.digest()).decode()
    partial = sidecar.with_name(sidecar.name + ".part")
    partial.write_text(f"{key} {value}")
    os.replace(partial, sidecar)
    return value


def get_recording(request, actor, conference_id):
    content_type = _recording_type(request.headers.get("Accept", ""))
    path = services.recording_file(actor, conference_id, content_type)
    response = _file(path, content_type)
    # RFC 9530: lets a client that downloads the recording check what it got.
    response["Repr-Digest"] = f"sha-256=:{_sha256_b64(path)}:"
    return response


def get_recording_preview(request, actor, conference_id):
    return _file(services.recording_file(actor, conference_id, "image/webp"), "image/webp")


def get_recording_transcription(request, actor, conference_id):
    status, utterances, headers = services.recording_transcription(actor, conference_id)
    response = JsonResponse(utterances, safe=False, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


# --- transcription --------------------------------------------------------------------------------


def get_transcription(request, actor, conference_id):
    return services.get_transcription(actor, conference_id)


def update_transcription(request, actor, conference_id):
    return services.set_transcription(actor, conference_id, json_body(request))


# --- streamings -----------------------------------------------------------------------------------


def list_streamings(request, actor, conference_id):
    return [streaming_json(s) for s in services.list_streamings(actor, conference_id)]


def create_streaming(request, actor, conference_id):
    return streaming_json(services.create_streaming(actor, conference_id, json_body(request)))


def delete_all_streamings(request, actor, conference_id):
    services.delete_all_streamings(actor, conference_id)


def get_streaming(request, actor, conference_id, streaming_id):
    return streaming_json(services.get_streaming(actor, conference_id, streaming_id))


def delete_streaming(request, actor, conference_id, streaming_id):
    services.delete_streaming(actor, conference_id, streaming_id)


application_view = endpoint(POST=create_conference)
conference_view = endpoint(GET=get_conference, PATCH=update_conference, DELETE=delete_conference)
participants_view = endpoint(GET=list_participants, POST=create_participant, DELETE=delete_all_participants)
participant_view = endpoint(GET=get_participant, PATCH=update_participant, DELETE=delete_participant)
sip_dial_view = endpoint(POST=sip_dial_out)
sip_forward_view = endpoint(POST=sip_forward)
sip_hangup_view = endpoint(POST=sip_hang_up)
messages_view = endpoint(POST=send_message)
recording_view = endpoint(GET=get_recording)
recording_preview_view = endpoint(GET=get_recording_preview)
recording_start_view = endpoint(POST=start_recording)
recording_stop_view = endpoint(POST=stop_recording)
recording_transcription_view = endpoint(GET=get_recording_transcription)
transcription_view = endpoint(GET=get_transcription, PATCH=update_transcription)
streamings_view = endpoint(GET=list_streamings, POST=create_streaming, DELETE=delete_all_streamings)
streaming_view = endpoint(GET=get_streaming, DELETE=delete_streaming)
