"""TURN credentials for browsers: the TURN REST API shared-secret scheme that coturn's
`use-auth-secret` checks (draft-uberti-behave-turn-rest).

`ice_servers(user_id)` gives the RTCIceServer list a joiner passes to RTCPeerConnection: the TURN
URIs of `TURN_URLS` with the username "<expiry unix time>:<user_id>" and the credential
base64(HMAC-SHA1(TURN_SECRET, username)). coturn recomputes the HMAC from the same secret and refuses
a forged credential or one past its expiry, so nothing is stored and nothing needs revoking; a
credential is worth TURN_CREDENTIAL_TTL seconds of relaying to the addresses coturn allows (Janus).
No TURN_SECRET: an empty list (browsers use their own addresses and STUN-free host candidates).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from django.conf import settings


def credential(username: str, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()).decode()


def ice_servers(user_id: str, now: float | None = None) -> list[dict]:
    if not settings.TURN_SECRET or not settings.TURN_URLS:
        return []
    expiry = int(now if now is not None else time.time()) + settings.TURN_CREDENTIAL_TTL
    username = f"{expiry}:{user_id}"
    return [{"urls": list(settings.TURN_URLS), "username": username,
             "credential": credential(username, settings.TURN_SECRET)}]
