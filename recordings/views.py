"""Recording pages (/recordings/..., the share link /rec/share/<token>) and the signed file links
(`/rec/play/<token>`, `/rec/download/<token>`).

The links are signed and expire (`recordings.access`); the request must also be allowed: the
owner's browser session, an OAuth bearer token with `recording:read`, the recording's
`download_access_token` (`?access_token=`), or a viewer the share settings admit (with `?pwd=`).
Refusals are 403 with a short plain-text reason. Pages call `recordings.services`; forms use CSRF.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from config.api import ZoomAPIError
from recordings import access, formats, services, serving
from recordings.models import AccountRecordingSettings, CloudRecording, RecordingFile


def _viewer(request) -> tuple[access.Viewer, list[str]]:
    viewer = access.Viewer(access_token=request.GET.get("access_token", ""), passcode=request.GET.get("pwd", ""))
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        from rest_framework.exceptions import AuthenticationFailed
        from rest_framework.request import Request

        from accounts.authentication import BearerTokenAuthentication

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


def _client(request) -> str:
    from accounts.services import client_ip

    return client_ip(request) or "unknown"


def _serve(request, token: str, use: str):
    try:
        file = access.read_file_token(token, use)
    except access.Denied as exc:
        return HttpResponseForbidden(str(exc), content_type="text/plain; charset=utf-8")
    viewer, unlocked = _viewer(request)
    if not viewer.passcode and str(file.recording_id) in unlocked:
        viewer.passcode = file.recording.password
    client = _client(request)
    if viewer.passcode and access.too_many_wrong_passcodes(file.recording, client):
        return HttpResponse("Too many wrong passcodes. Wait a few minutes and try again.", status=429,
                            content_type="text/plain; charset=utf-8")
    if not access.may_access(file, viewer, use):
        if viewer.passcode and not access.passcode_ok(file.recording, viewer.passcode):
            access.record_wrong_passcode(file.recording, client)
        return HttpResponseForbidden("You may not open this recording.", content_type="text/plain; charset=utf-8")
    response = serving.file_response(request, file, attachment=use == "download")
    if response.status_code == 200 or response.get("Content-Range", "").startswith("bytes 0-"):
        services.count_access(file.recording, use)  # once per viewing: its first byte
    return response


@require_safe
def play(request, token):
    return _serve(request, token, "play")


@require_safe
def download(request, token):
    return _serve(request, token, "download")


# --- pages ------------------------------------------------------------------------------------------

FILE_LABELS = {"MP4": gettext_lazy("Video"), "M4A": gettext_lazy("Audio"), "TRANSCRIPT": gettext_lazy("Transcript"),
               "CHAT": gettext_lazy("Chat"), "TIMELINE": gettext_lazy("Timeline"), "TB": gettext_lazy("Thumbnail")}
SHARE_CHOICES = (("publicly", gettext_lazy("Anyone with the link")), ("internally", gettext_lazy("People in my account")),
                 ("none", gettext_lazy("Only me")))


def _page_recordings(request):
    return services.visible_recordings(request.user, admin=request.user.is_account_admin, kind=None)


def _own_recording(request, recording_id) -> CloudRecording:
    recording = _page_recordings(request).filter(pk=recording_id).first() if _is_uuid(recording_id) else None
    if recording is None:
        raise Http404("No such recording.")
    return recording


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def _file_text(file: RecordingFile | None) -> str:
    from recordings import storage

    if file is None:
        return ""
    # Transcripts and chats are small; the cap keeps a page from loading a huge one.
    return b"".join(storage.read_range(file.storage_name, 0, min(file.file_size, 2 * 1024 * 1024))).decode(
        "utf-8", "replace")


def _player_context(recording: CloudRecording, *, owner: bool) -> dict:
    completed = list(recording.files.filter(status="completed", trashed_at__isnull=True))
    files = {f.file_type: f for f in completed if not f.participant_id}
    video = files.get("MP4")
    cues = formats.parse_webvtt(_file_text(files.get("TRANSCRIPT")))
    chat = _file_text(files.get("CHAT"))
    allow_download = owner or access.share_setting(recording, "viewer_download")
    downloads = [(FILE_LABELS.get(f.file_type, f.file_type), f, access.download_url(f))
                 for f in sorted(files.values(), key=lambda f: list(FILE_LABELS).index(f.file_type)
                                 if f.file_type in FILE_LABELS else 99)] if allow_download else []
    if allow_download:  # each participant's own audio, when the account records it
        downloads += [(_("Audio: %(name)s") % {"name": f.participant_name}, f, access.download_url(f))
                      for f in sorted((f for f in completed if f.participant_id), key=lambda f: f.participant_name)]
    return {
        "recording": recording, "owner": owner, "video_url": access.play_url(video) if video else "",
        "poster_url": access.play_url(files["TB"]) if "TB" in files else "", "cues": cues,
        "chat_lines": _chat_lines(chat), "downloads": downloads,
    }


def _chat_lines(text: str) -> list[dict]:
    lines: list[dict] = []
    for block in text.split("\n"):
        if block.startswith("\t") and lines:
            lines[-1]["text"] += block.strip()
        elif block.strip():
            stamp, _sep, rest = block.partition(" From ")
            parts = stamp.split(":")
            seconds = int(parts[0]) * 3600 + int(parts[1]) * 60 + int(parts[2]) if len(parts) == 3 else 0
            lines.append({"time": stamp, "seconds": seconds, "who": rest.rstrip(":"), "text": ""})
    return lines


@login_required
def recordings_page(request):
    recordings = _page_recordings(request).filter(trashed_at__isnull=True).prefetch_related("files")
    rows = []
    for recording in recordings[:200]:
        files = [f for f in recording.files.all() if f.trashed_at is None and f.status == "completed"]
        thumb = next((f for f in files if f.file_type == "TB"), None)
        rows.append({"recording": recording, "size": sum(f.file_size for f in files),
                     "thumbnail": access.play_url(thumb) if thumb else "",
                     "share": dict(SHARE_CHOICES).get(access.share_setting(recording, "share_recording"))})
    settings_form = None
    if request.user.is_account_admin:
        settings_form = AccountRecordingSettings.for_account(request.user.account_id)
    return render(request, "recordings/list.html", {"rows": rows, "account_settings": settings_form})


@login_required
@require_POST
def account_settings(request):
    """The account's recording settings (owners and admins): per-participant audio files."""
    if not request.user.is_account_admin:
        return HttpResponseForbidden("Only the account's owner or admins can change its recording settings.")
    row, _created = AccountRecordingSettings.objects.get_or_create(account_id=request.user.account_id)
    row.record_audio_file_each_participant = request.POST.get("record_audio_file_each_participant") == "on"
    row.save(update_fields=["record_audio_file_each_participant"])
    messages.success(request, _("Recording settings saved: they apply to recordings made from now on."))
    return redirect("recordings:list")


@login_required
def player_page(request, recording_id):
    recording = _own_recording(request, recording_id)
    if recording.trashed_at:
        raise Http404("This recording is in the trash.")
    context = _player_context(recording, owner=True)
    context.update({"share_url": access.share_url(recording), "share_choices": SHARE_CHOICES,
                    "share": access.share_setting(recording, "share_recording"),
                    "viewer_download": access.share_setting(recording, "viewer_download")})
    return render(request, "recordings/player.html", context)


@login_required
@require_POST
def share_settings(request, recording_id):
    recording = _own_recording(request, recording_id)
    data = {"share_recording": request.POST.get("share_recording", ""),
            "viewer_download": request.POST.get("viewer_download") == "on"}
    if "password" in request.POST:
        data["password"] = request.POST.get("password", "").strip()
    try:
        services.update_settings(recording, data)
    except ZoomAPIError as exc:
        messages.error(request, exc.message.split(": ", 1)[-1])
    else:
        messages.success(request, _("Share settings saved."))
    return redirect("recordings:player", recording.pk)


@login_required
@require_POST
def trash(request, recording_id):
    recording = _own_recording(request, recording_id)
    try:
        services.trash_recording(recording)
    except ZoomAPIError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(topic)s” was moved to the trash.") % {"topic": recording.topic})
    return redirect("recordings:list")


@login_required
def trash_page(request):
    recordings = _page_recordings(request).filter(files__trashed_at__isnull=False).distinct()
    return render(request, "recordings/trash.html", {"recordings": recordings,
                                                     "days": django_settings.RECORDINGS_TRASH_DAYS})


@login_required
@require_POST
def recover(request, recording_id):
    recording = _own_recording(request, recording_id)
    try:
        services.recover_recording(recording)
    except ZoomAPIError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(topic)s” was recovered.") % {"topic": recording.topic})
    return redirect("recordings:trash")


@login_required
@require_POST
def delete_for_good(request, recording_id):
    recording = _own_recording(request, recording_id)
    try:
        services.delete_recording(recording)
    except ZoomAPIError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(topic)s” was deleted for good.") % {"topic": recording.topic})
    return redirect("recordings:trash")


def shared_player(request, share_token):
    """The share link: the player for anyone the share settings admit (passcode form if set)."""
    recording = CloudRecording.objects.filter(share_token=share_token, trashed_at__isnull=True).first()
    if recording is None:
        raise Http404("This recording is not available.")
    user = request.user if request.user.is_authenticated else None
    owner = access.owns(user, recording)
    if not owner and not access.share_admits(recording, user):
        return render(request, "recordings/unavailable.html", status=403)
    unlocked = request.session.get("recordings_unlocked", [])
    if not owner and recording.password and str(recording.pk) not in unlocked:
        error, client = "", _client(request)
        if request.method == "POST":
            if access.too_many_wrong_passcodes(recording, client):
                return render(request, "recordings/passcode.html", {
                    "recording": recording, "error": _("Too many wrong passcodes. Wait a few minutes and try again.")},
                    status=429)
            if access.passcode_ok(recording, request.POST.get("passcode", "").strip()):
                request.session["recordings_unlocked"] = [*unlocked, str(recording.pk)][-50:]
                return redirect("recordings:shared", share_token)
            access.record_wrong_passcode(recording, client)
            error = _("That passcode is not right.")
        elif access.passcode_ok(recording, request.GET.get("pwd", "")) and request.GET.get("pwd"):
            request.session["recordings_unlocked"] = [*unlocked, str(recording.pk)][-50:]
            return redirect("recordings:shared", share_token)
        return render(request, "recordings/passcode.html", {"recording": recording, "error": error},
                      status=403 if error else 200)
    return render(request, "recordings/player.html", _player_context(recording, owner=owner))
