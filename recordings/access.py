"""Who may play or download a recording file, and the signed URLs that lead there.

- `play_url` / `download_url` carry a signed, timestamped token naming the file and the use
  (`RECORDINGS_URL_TTL` seconds, default 24 h). A changed token → 403; an expired one → 403.
- The signature only says *which* file; the request must also be allowed (`may_access`):
  a signed-in member of the recording's account who may see it (the host, or an account admin),
  an OAuth bearer token of such a user with `recording:read` (or `:admin`), the recording's
  `download_access_token` (`?access_token=`), or — per the share settings — anyone
  (`share_recording: publicly`) or any signed-in member of the account (`internally`) who gives
  the passcode (`?pwd=`, the password or the play passcode, or unlocked on the share page).
  `viewer_download: false` keeps such viewers to playing: downloading stays with the owners.
- `download_access_token` (`include_fields=download_access_token`, `ttl` 0..604800 s, default
  86400): a signed token for downloading the files of that one recording, as Zoom's JWT is.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from recordings.models import CloudRecording, RecordingFile

URL_SALT = "recordings.file-url"
DOWNLOAD_TOKEN_SALT = "recordings.download-access-token"
DEFAULT_SHARE_SETTINGS = {
    "share_recording": "publicly",
    "recording_authentication": False,
    "authentication_option": "",
    "authentication_domains": "",
    "viewer_download": True,
    "on_demand": False,
    "approval_type": 2,
    "send_email_to_host": True,
    "show_social_share_buttons": True,
    "auto_delete": False,
    "auto_delete_date": "",
}


class Denied(Exception):
    """403: a bad or expired link, or a viewer without the right."""


def share_setting(recording: CloudRecording, name: str):
    return recording.settings.get(name, DEFAULT_SHARE_SETTINGS.get(name))


class _Signer(signing.TimestampSigner):
    def __init__(self, salt: str, issued_at: float | None = None):
        super().__init__(salt=salt)
        self.issued_at = issued_at

    def timestamp(self):
        return signing.b62_encode(int(self.issued_at if self.issued_at is not None else time.time()))


def file_token(file: RecordingFile, use: str, issued_at: float | None = None) -> str:
    return _Signer(URL_SALT, issued_at).sign_object({"f": str(file.pk), "u": use})


def read_file_token(token: str, use: str) -> RecordingFile:
    try:
        data = _Signer(URL_SALT).unsign_object(token, max_age=settings.RECORDINGS_URL_TTL)
    except signing.SignatureExpired:
        raise Denied("This link has expired.") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise Denied("This link is not valid.") from None
    if not isinstance(data, dict) or data.get("u") != use or not isinstance(data.get("f"), str):
        raise Denied("This link is not valid.")
    file = RecordingFile.objects.select_related("recording", "recording__account", "recording__host").filter(
        pk=data["f"], status=RecordingFile.Status.COMPLETED).first()
    if file is None or file.trashed_at or file.recording.trashed_at:
        raise Denied("This recording is no longer available.")
    return file


def play_url(file: RecordingFile) -> str:
    return f"{settings.SITE_ROOT}/rec/play/{file_token(file, 'play')}"


def download_url(file: RecordingFile) -> str:
    return f"{settings.SITE_ROOT}/rec/download/{file_token(file, 'download')}"


def share_url(recording: CloudRecording) -> str:
    return f"{settings.SITE_ROOT}/rec/share/{recording.share_token}"


def play_passcode(recording: CloudRecording) -> str:
    """Zoom's `recording_play_passcode`: stands for the password in `?pwd=` (changes with it)."""
    if not recording.password:
        return ""
    return salted_hmac("recordings.play-passcode", f"{recording.pk}:{recording.password}",
                       algorithm="sha256").hexdigest()[:32]


def passcode_ok(recording: CloudRecording, given: str) -> bool:
    if not recording.password:
        return True
    given = given or ""
    return hmac.compare_digest(given, recording.password) or hmac.compare_digest(given, play_passcode(recording))


def _attempts_key(recording: CloudRecording, client: str) -> str:
    return f"recordings:wrong-passcode:{recording.pk}:{client}"


def too_many_wrong_passcodes(recording: CloudRecording, client: str) -> bool:
    """Passcodes are short: a client that keeps guessing is refused for 15 minutes after
    JOIN_PASSCODE_ATTEMPTS wrong ones (the meetings' rule)."""
    from django.core.cache import cache

    return (cache.get(_attempts_key(recording, client)) or 0) >= settings.JOIN_PASSCODE_ATTEMPTS


def record_wrong_passcode(recording: CloudRecording, client: str) -> None:
    from django.core.cache import cache

    key = _attempts_key(recording, client)
    cache.add(key, 0, timeout=15 * 60)
    cache.incr(key)


def download_access_token(recording: CloudRecording, ttl: int) -> str:
    return signing.dumps({"r": str(recording.pk), "exp": int(time.time()) + ttl}, salt=DOWNLOAD_TOKEN_SALT)


def read_download_access_token(token: str) -> str | None:
    try:
        data = signing.loads(token, salt=DOWNLOAD_TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or int(data.get("exp", 0)) < time.time():
        return None
    return data.get("r")


def owns(user, recording: CloudRecording) -> bool:
    """The host, or an admin of the recording's account."""
    if user is None or not getattr(user, "is_authenticated", False) or user.account_id != recording.account_id:
        return False
    return user.pk == recording.host_id or bool(getattr(user, "is_account_admin", False))


@dataclass
class Viewer:
    user: object = None  # a signed-in or bearer-token user
    bearer_scopes: frozenset = frozenset()
    access_token: str = ""  # ?access_token=
    passcode: str = ""  # ?pwd= or unlocked on the share page


def may_access(file: RecordingFile, viewer: Viewer, use: str) -> bool:
    recording = file.recording
    if viewer.access_token and use == "download":
        if read_download_access_token(viewer.access_token) == str(recording.pk):
            return True
    if viewer.user is not None and owns(viewer.user, recording):
        if not viewer.bearer_scopes:
            return True  # a signed-in browser session
        if viewer.bearer_scopes & {"recording:read", "recording:read:admin"}:
            return True
    if not share_admits(recording, viewer.user):
        return False
    if use == "download" and not share_setting(recording, "viewer_download"):
        return False
    return passcode_ok(recording, viewer.passcode)


def share_admits(recording: CloudRecording, user) -> bool:
    """Whether the share settings let this viewer in (the passcode aside): `none` nobody;
    `internally` signed-in members of the account; `publicly` anyone, or with
    `recording_authentication` anyone signed in (from `authentication_domains`, when set)."""
    share = share_setting(recording, "share_recording")
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if share == "none":
        return False
    if share == "internally":
        return signed_in and user.account_id == recording.account_id
    if share_setting(recording, "recording_authentication"):
        if not signed_in:
            return False
        domains = {d.strip().lower().lstrip("@") for d in
                   str(share_setting(recording, "authentication_domains") or "").replace(";", ",").split(",")
                   if d.strip()}
        return not domains or user.email.rsplit("@", 1)[-1].lower() in domains
    return True
