"""Recording file links (`/rec/play/<token>`, `/rec/download/<token>`) and, later, the pages.

The links are signed and expire (`recordings.access`); the request must also be allowed: the
owner's browser session, an OAuth bearer token with `recording:read`, the recording's
`download_access_token` (`?access_token=`), or a viewer the share settings admit (with `?pwd=`).
Refusals are 403 with a short plain-text reason.
"""

from __future__ import annotations

from django.http import HttpResponseForbidden
from django.views.decorators.http import require_safe

from recordings import access, serving


def _viewer(request) -> access.Viewer:
    viewer = access.Viewer(access_token=request.GET.get("access_token", ""), passcode=request.GET.get("pwd", ""))
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        from accounts.authentication import BearerTokenAuthentication
        from rest_framework.exceptions import AuthenticationFailed
        from rest_framework.request import Request

        try:
            found = BearerTokenAuthentication().authenticate(Request(request))
        except AuthenticationFailed:
            found = None
        if found is not None:
            user, token = found
            viewer.user = user
            viewer.bearer_scopes = frozenset((token.scope or "").split()) or frozenset({"-"})
    elif request.user.is_authenticated:
        viewer.user = request.user
    unlocked = request.session.get("recordings_unlocked", []) if hasattr(request, "session") else []
    return viewer, unlocked


def _serve(request, token: str, use: str):
    try:
        file = access.read_file_token(token, use)
    except access.Denied as exc:
        return HttpResponseForbidden(str(exc), content_type="text/plain; charset=utf-8")
    viewer, unlocked = _viewer(request)
    if not viewer.passcode and str(file.recording_id) in unlocked:
        viewer.passcode = file.recording.password
    if not access.may_access(file, viewer, use):
        return HttpResponseForbidden("You may not open this recording.", content_type="text/plain; charset=utf-8")
    return serving.file_response(request, file, attachment=use == "download")


@require_safe
def play(request, token):
    return _serve(request, token, "play")


@require_safe
def download(request, token):
    return _serve(request, token, "download")
