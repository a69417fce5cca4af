"""Token checks for the Mind API (REST and the application WebSocket).

Two kinds of bearer token, as the seeds define them: the application token (from settings, full
access to the application's conferences) and participant tokens (one conference, acting as one
participant). The token comes in `Authorization: Bearer <token>` or, for clients that cannot set
headers (browser WebSockets), in the `access_token` query parameter.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs

from django.conf import settings

from mind.services import Actor, MindApiError, find_participant_by_token, is_application_token


def bearer_token(authorization: str | None, query_string: str | bytes = "") -> str:
    if authorization:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
        return ""
    if isinstance(query_string, bytes):
        query_string = query_string.decode("latin-1")
    values = parse_qs(query_string).get("access_token")
    return values[0] if values else ""


def unauthorized() -> MindApiError:
    return MindApiError(401, "No valid token was provided.", {"WWW-Authenticate": 'Bearer realm="mind"'})


def authenticate(application_id, raw_token: str) -> Actor:
    """The actor behind `raw_token` for requests under /mind/<application_id>/ (401 if none)."""
    configured = settings.MIND_APPLICATION_ID
    if not raw_token or not configured or str(application_id) != str(uuid.UUID(str(configured))):
        raise unauthorized()
    app_id = uuid.UUID(str(configured))
    if is_application_token(raw_token):
        return Actor(application_id=app_id)
    participant = find_participant_by_token(raw_token)
    if participant is None or participant.conference.application_id != app_id:
        raise unauthorized()
    return Actor(application_id=app_id, participant=participant)


def authenticate_request(request, application_id) -> Actor:
    token = bearer_token(request.headers.get("Authorization"), request.META.get("QUERY_STRING", ""))
    return authenticate(application_id, token)
