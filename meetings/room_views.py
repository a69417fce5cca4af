"""The room page: /j/<meeting id> (the pre-join screen, then the call) and the page after it.

The page is one template plus ES modules (static/js/room/); everything it does after loading goes
through the JSON endpoints in `join_views` and the Mind Web SDK look-alike (static/js/mind/). The
view only says what the page needs to start: the meeting's topic, whether a passcode will be asked,
the name to prefill, and the tokens from the link (`pwd`, invite `tk`, host `start` or a host's `zak`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.csp import policy
from meetings.actions import links
from meetings.actions.admission import MAX_NAME, role_for
from meetings.actions.links import passcode_matches, read_invite_token
from meetings.models import Meeting, Participant

LINK_PARAMS = ("pwd", "tk", "start", "zak")
MAX_PARAM = 4096


def _link_params(request) -> dict:
    """The tokens a join link may carry, ignoring anything oversized (a mangled link)."""
    return {name: value for name in LINK_PARAMS
            if (value := request.GET.get(name, "")) and len(value) <= MAX_PARAM}


@require_GET
@never_cache
def room(request, meeting_id):
    meeting = Meeting.objects.for_room(meeting_id)
    if meeting is None:
        return render(request, "room/missing.html", {"meeting_id": meeting_id}, status=404)
    params = _link_params(request)
    if meeting.setting("use_pmi") and not meeting.personal:
        # The meeting lives in the host's personal room; its start link (start=) opens that room too.
        room = Meeting.objects.personal(meeting.host)
        start = {"start": links.start_url(room).split("start=", 1)[1]} if params.get("start") and \
            links.read_start_token(meeting, params["start"]) else {}
        target = links.join_url(room)
        if start:
            target = f"{target}{'&' if '?' in target else '?'}{urlencode(start)}"
        return redirect(target.removeprefix(settings.SITE_ROOT))
    invite = read_invite_token(meeting, params["tk"]) if params.get("tk") else None
    host = role_for(meeting, request.user, params.get("start", "") or params.get("zak", "")) != Participant.Role.ATTENDEE
    needs_passcode = (bool(meeting.password) and not host and invite is None
                      and not passcode_matches(meeting, "", params.get("pwd", "")))
    user = request.user
    base = f"/j/{meeting.pk}"
    config = {
        "meetingId": meeting.pk,
        "topic": meeting.topic or _("Meeting %(id)s") % {"id": meeting.pk},
        "hostName": meeting.host.get_full_name(),
        "name": invite["n"] if invite else (user.get_full_name() if user.is_authenticated else ""),
        "nameLocked": invite is not None,
        "signedIn": user.is_authenticated,
        "host": host,
        "needsPasscode": needs_passcode,
        "e2ee": meeting.end_to_end_encrypted,  # the pre-join screen says so, and checks the browser can
        "maxName": MAX_NAME,
        "link": params,
        "csrfToken": get_token(request),
        "urls": {
            "join": f"{base}/join", "status": f"{base}/join/status", "leave": f"{base}/leave",
            "lobby": f"{base}/lobby", "control": f"{base}/control", "roster": f"{base}/roster",
            "participants": f"{base}/participants", "bye": reverse("meetings:bye", args=[meeting.pk]),
            "home": reverse("meetings:home") if user.is_authenticated else "/",
        },
    }
    response = render(request, "room/room.html", {"meeting": meeting, "config": config})
    # The room compiles WebAssembly (noise suppression, background effects): only this page may.
    response["Content-Security-Policy"] = policy(request, wasm=True)
    return response


BYE = {
    "left": (gettext_lazy("You left the meeting"), gettext_lazy("Have a nice day!"), True),
    "ended": (gettext_lazy("The meeting has ended"), gettext_lazy("The host ended this meeting for everyone."), False),
    "removed": (gettext_lazy("You've been removed from the meeting"), gettext_lazy("The host removed you from the call."), False),
    "denied": (gettext_lazy("You can't join this meeting"), gettext_lazy("The host didn't let you in."), False),
    "elsewhere": (gettext_lazy("You joined from another window"),
                  gettext_lazy("This meeting is open in another tab or on another device."), True),
}


@require_GET
@never_cache
def bye(request, meeting_id):
    """Where the room sends people when their call is over: left, ended for all, removed, denied."""
    reason = request.GET.get("reason", "left")
    title, text, can_rejoin = BYE.get(reason, BYE["left"])
    return render(request, "room/bye.html", {
        "meeting_id": meeting_id, "reason": reason if reason in BYE else "left", "title": title, "text": text,
        "can_rejoin": can_rejoin,
        "home": reverse("meetings:home") if request.user.is_authenticated else "/",
    })
