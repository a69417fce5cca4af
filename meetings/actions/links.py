"""What a meeting is joined with: join and start URLs, the passcode and its URL token, personal invite
links, and SIP dialling codes. Builders and checkers only: nothing here writes.

Every token is signed with the site's secret (`django.core.signing`, one salt per kind), so none can
be forged or reused for another meeting; start and SIP tokens expire, invite tokens carry their
own expiry.
"""

from __future__ import annotations

import base64
import functools
import hmac
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from meetings.encryption import refuse_if_encrypted
from meetings.models import Meeting, Registrant

INVITE_SALT = "meetings.invite-link"
START_SALT = "meetings.start-url"
START_URL_TTL = 2 * 3600
SIP_SALT = "meetings.sip-dialing"
REGISTRANT_SALT = "meetings.registrant-link"


def encrypted_password(meeting: Meeting) -> str:
    """Zoom's `encrypted_password`: a URL-safe token standing for the passcode in `join_url` (pwd=)."""
    return passcode_token(meeting.pk, meeting.password)


def passcode_token(meeting_id: int, password: str) -> str:
    """`encrypted_password` of the meeting numbered `meeting_id` with passcode `password` ("" if none)."""
    return _passcode_token(settings.SECRET_KEY, meeting_id, password) if password else ""


# A list page shows up to 300 join URLs: each process remembers recent tokens (a pure function of
# the secret, the number and the passcode), and the HMAC keyed for the secret.
@functools.lru_cache(maxsize=4096)
def _passcode_token(secret_key: str, meeting_id: int, password: str) -> str:
    mac = _passcode_hmac(secret_key).copy()
    mac.update(f"{meeting_id}:{password}".encode())
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode()


@functools.lru_cache(maxsize=4)
def _passcode_hmac(secret_key: str) -> hmac.HMAC:
    # salted_hmac derives its key from the salt and the secret on every call; copying the keyed HMAC
    # gives the same digest (HMAC is streaming).
    return salted_hmac("meetings.encrypted-password", "", secret=secret_key, algorithm="sha256")


def numeric_passcode(meeting: Meeting) -> str:
    """Zoom's `h323_password` / `pstn_password`: the passcode as digits, for keypads and room systems.
    A passcode of digits is itself; another gets 10 digits derived from it (changing it changes them)."""
    if not meeting.password or meeting.password.isdigit():
        return meeting.password
    digest = salted_hmac("meetings.numeric-passcode", f"{meeting.pk}:{meeting.password}", algorithm="sha256").digest()
    return str(int.from_bytes(digest[:8], "big") % 10**10).zfill(10)


def join_url(meeting: Meeting) -> str:
    return meeting_join_url(meeting.pk, meeting.password)


def meeting_join_url(meeting_id: int, password: str) -> str:
    """`join_url` of the meeting numbered `meeting_id` with passcode `password`."""
    return meeting_join_urls([(meeting_id, password)])[0]


def meeting_join_urls(meetings: list[tuple[int, str]]) -> list[str]:
    """`meeting_join_url` of each (number, passcode), the settings read once for a whole list page."""
    root, secret = settings.SITE_ROOT, settings.SECRET_KEY
    # The passcode token is URL-safe base64 of 24 bytes: no character to escape.
    return [f"{root}/j/{number}?pwd={_passcode_token(secret, number, password)}" if password else f"{root}/j/{number}"
            for number, password in meetings]


def start_url(meeting: Meeting) -> str:
    token = signing.dumps({"m": meeting.pk, "h": meeting.host_id}, salt=START_SALT, compress=True)
    return f"{settings.SITE_ROOT}/j/{meeting.pk}?{urlencode({'start': token})}"


def read_start_token(meeting: Meeting, token: str) -> bool:
    try:
        data = signing.loads(token, salt=START_SALT, max_age=START_URL_TTL)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return isinstance(data, dict) and data.get("m") == meeting.pk and data.get("h") == meeting.host_id


def passcode_matches(meeting: Meeting, passcode: str = "", pwd: str = "") -> bool:
    if not meeting.password:
        return True
    if passcode and (hmac.compare_digest(str(passcode).encode(), meeting.password.encode())
                     or hmac.compare_digest(str(passcode).encode(), numeric_passcode(meeting).encode())):
        return True
    return bool(pwd) and hmac.compare_digest(str(pwd).encode(), encrypted_password(meeting).encode())


def create_invite_links(meeting: Meeting, attendees: list[dict], ttl: int) -> list[dict]:
    """Personal join links: signed, expiring, pre-filling the name and admitting without the passcode."""
    now = int(timezone.now().timestamp())
    links = []
    for attendee in attendees:
        expires = now + attendee.get("ttl", ttl)
        token = signing.dumps({"m": meeting.pk, "n": attendee["name"], "e": expires, "g": _invite_generation(meeting)},
                              salt=INVITE_SALT, compress=True)
        links.append({"name": attendee["name"],
                      "join_url": f"{settings.SITE_ROOT}/j/{meeting.pk}?{urlencode({'tk': token})}"})
    return links


def _invite_generation(meeting: Meeting) -> str:
    """What an invite link is bound to besides the meeting: its passcode (a new passcode ends the old
    links, as it does for join links) and the revocation counter."""
    return salted_hmac("meetings.invite-generation", f"{meeting.password}:{meeting.invite_generation}",
                       algorithm="sha256").hexdigest()[:16]


def revoke_invite_links(meeting: Meeting) -> None:
    """Every invite link made so far stops working; new ones work."""
    Meeting.objects.filter(pk=meeting.pk).update(invite_generation=models.F("invite_generation") + 1)
    meeting.refresh_from_db(fields=["invite_generation"])


def read_invite_token(meeting: Meeting, token: str) -> dict | None:
    """The invite's claims if `token` is a valid, unexpired, unrevoked invite to `meeting` made under
    its current passcode, else None."""
    try:
        data = signing.loads(token, salt=INVITE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("m") != meeting.pk:
        return None
    if not isinstance(data.get("e"), int) or data["e"] < timezone.now().timestamp():
        return None
    if not hmac.compare_digest(str(data.get("g", "")), _invite_generation(meeting)):
        return None
    return data


def registration_url(meeting: Meeting) -> str:
    """The registration page of a meeting that requires registration, else ""."""
    return f"{settings.SITE_ROOT}/meetings/{meeting.pk}/register" if meeting.requires_registration else ""


def registrant_join_url(registrant: Registrant) -> str:
    """A registrant's own join link: signed, naming the registration (which must still be approved
    when they join); it admits without the passcode, as Zoom's registrant links do."""
    token = signing.dumps({"m": registrant.meeting_id, "r": registrant.pk}, salt=REGISTRANT_SALT, compress=True)
    return f"{settings.SITE_ROOT}/j/{registrant.meeting_id}?{urlencode({'tk': token})}"


def read_registrant_token(meeting: Meeting, token: str) -> Registrant | None:
    """The registration a registrant link stands for (whatever its status now), else None."""
    try:
        data = signing.loads(token, salt=REGISTRANT_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("m") != meeting.pk or not isinstance(data.get("r"), str):
        return None
    return Registrant.objects.filter(pk=data["r"], meeting=meeting).first()


def sip_code(meeting: Meeting) -> str:
    """The signed participant code of a SIP URI (`pic=`), valid for SIP_URI_TTL seconds."""
    return signing.dumps({"m": meeting.pk}, salt=SIP_SALT, compress=True)


def read_sip_code(code: str, meeting_id: int) -> bool:
    """Whether `code` is an unexpired SIP code for that meeting."""
    try:
        data = signing.loads(code, salt=SIP_SALT, max_age=settings.SIP_URI_TTL)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return isinstance(data, dict) and data.get("m") == meeting_id


def sip_dialing(meeting: Meeting, passcode: str = "") -> dict:
    """A SIP URI for the meeting, pointing at the media engine's dial-in (SIP_DOMAIN:SIP_PORT). Its
    participant code is signed and expires; the engine asks `meetings.sip.answer_call` about each call.
    Refused (400, code 3000) for an end-to-end encrypted meeting: phones cannot take part in its encryption."""
    refuse_if_encrypted(meeting, "sip")
    ttl = settings.SIP_URI_TTL
    code = sip_code(meeting)
    port = f":{settings.SIP_PORT}" if settings.SIP_PORT not in (0, 5060) else ""
    uri = f"sip:{meeting.pk}@{settings.SIP_DOMAIN}{port}"
    if passcode:
        uri += f";pwd={quote(passcode, safe='')}"
    uri += f";pic={code}"
    return {"sip_dialing": uri, "paid_crc_plan_participant": False, "participant_identifier_code": code,
            "expire_in": ttl}
