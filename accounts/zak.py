"""Zoom's ZAK (`GET /v2/users/{userId}/token?type=zak`): a signed, expiring token that lets whoever
holds it start the user's meetings as host (the room reads `zak=` from the link, as Zoom's start
URLs carry it). It is bound to the user's session epoch, so ending the user's sessions (credentials
reset, MFA removed) revokes every ZAK issued before."""

from __future__ import annotations

import time

from django.core import signing

from accounts.models import User

ZAK_SALT = "accounts.zak"
DEFAULT_TTL = 7200
MAX_TTL = 365 * 24 * 3600


def issue(user: User, ttl: int = DEFAULT_TTL) -> str:
    return signing.dumps({"u": user.pk, "s": user.session_epoch, "e": int(time.time()) + ttl}, salt=ZAK_SALT,
                         compress=True)


def read(token: str) -> User | None:
    """The active user a valid, unexpired, unrevoked ZAK stands for, else None."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=ZAK_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), int) or data["e"] < time.time():
        return None
    if not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or user.session_epoch != data.get("s"):
        return None
    return user
