"""The push services behind one interface: `sender_for(device).send(device, notice, push_id) -> Result`.

- APNs: HTTP/2 over TLS (`httpx` with `h2`), token-based authentication. The provider token is a JWT
  (ES256, header `kid` = PUSH_APNS_KEY_ID, claims `iss` = PUSH_APNS_TEAM_ID and `iat`) signed with the
  team's .p8 key; it is shared by every worker through the cache and reused for up to 50 minutes
  (Apple refuses tokens older than an hour and throttles tokens renewed more often than every 20).
- FCM HTTP v1: `POST {PUSH_FCM_URL}/v1/projects/{project}/messages:send` with an OAuth 2.0 access
  token obtained from the service account (PUSH_FCM_SERVICE_ACCOUNT, its JSON key) by the JWT-bearer
  grant (RFC 7523: an RS256 assertion, `kid` = private_key_id) at the key's `token_uri`; the access
  token is cached until a minute before it expires.

Credentials and base URLs come only from settings (the environment). A Result says what the delivery
task does next: `sent`; `dead` (the service says the token is gone: the device is removed); `retry`
(429, 5xx, an expired credential, the network; `retry_after` when the service named a delay);
`failed` (refused for good: retrying cannot help).
"""

from __future__ import annotations

import dataclasses
import json
import ssl
import time
from functools import cache as memoize
from typing import Protocol

import httpx
import jwt
from django.conf import settings
from django.core.cache import cache

from push.models import Device
from push.notices import Notice, apns_request, fcm_message

APNS_TOKEN_REUSE_SECONDS = 50 * 60
FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# APNs reasons that mean the token will never work again for this topic.
APNS_DEAD_REASONS = {"BadDeviceToken", "Unregistered", "DeviceTokenNotForTopic", "ExpiredToken"}
APNS_STALE_CREDENTIAL = {"ExpiredProviderToken", "InvalidProviderToken"}


def clock() -> float:
    """The time the credentials are dated by (a test may move it)."""
    return time.time()


@dataclasses.dataclass(frozen=True)
class Result:
    outcome: str  # "sent" | "dead" | "retry" | "failed"
    status: int | None = None
    reason: str = ""
    retry_after: int | None = None
    dead_since: float | None = None  # APNs 410: when the token stopped being valid (epoch seconds)


class Sender(Protocol):
    def send(self, device: Device, notice: Notice, push_id: str) -> Result: ...


class NotConfigured(Exception):
    pass


def _retry_after(response: httpx.Response) -> int | None:
    value = response.headers.get("retry-after", "")
    return int(value) if value.isdigit() else None


@memoize
def _client(http2: bool, ca_file: str) -> httpx.Client:
    """One pooled client per worker process (APNs wants long-lived HTTP/2 connections)."""
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca_file) if ca_file else True
    return httpx.Client(http2=http2, verify=verify, timeout=settings.PUSH_TIMEOUT)


def _transport_failure(exc: Exception) -> Result:
    return Result("retry", reason=f"{type(exc).__name__}: {exc}"[:500])


# --- APNs ----------------------------------------------------------------------------------------

def apns_configured() -> bool:
    return bool(settings.PUSH_APNS_KEY and settings.PUSH_APNS_KEY_ID and settings.PUSH_APNS_TEAM_ID)


class ApnsSender:
    def _cache_key(self) -> str:
        return f"push:apns-provider-token:{settings.PUSH_APNS_TEAM_ID}:{settings.PUSH_APNS_KEY_ID}"

    def provider_token(self) -> str:
        cached = cache.get(self._cache_key())
        now = clock()
        if cached and 0 <= now - cached["iat"] < APNS_TOKEN_REUSE_SECONDS:
            return cached["token"]
        issued = int(now)
        token = jwt.encode({"iss": settings.PUSH_APNS_TEAM_ID, "iat": issued}, settings.PUSH_APNS_KEY,
                           algorithm="ES256", headers={"kid": settings.PUSH_APNS_KEY_ID})
        cache.set(self._cache_key(), {"token": token, "iat": issued}, timeout=APNS_TOKEN_REUSE_SECONDS)
        return token

    def forget_provider_token(self) -> None:
        cache.delete(self._cache_key())

    def send(self, device: Device, notice: Notice, push_id: str) -> Result:
        if not apns_configured():
            return Result("failed", reason="APNs is not configured (PUSH_APNS_KEY, PUSH_APNS_KEY_ID, PUSH_APNS_TEAM_ID).")
        base = (settings.PUSH_APNS_SANDBOX_URL if device.environment == Device.Environment.DEVELOPMENT
                else settings.PUSH_APNS_URL)
        headers, payload = apns_request(notice, device.app_id)
        headers.update({"authorization": f"bearer {self.provider_token()}", "apns-id": push_id})
        try:
            response = _client(True, settings.PUSH_APNS_CA_FILE).post(
                f"{base.rstrip('/')}/3/device/{device.token}", headers=headers,
                content=json.dumps(payload, separators=(",", ":")).encode())
        except httpx.HTTPError as exc:
            return _transport_failure(exc)
        if response.status_code == 200:
            return Result("sent", 200)
        try:
            body = response.json()
        except ValueError:
            body = {}
        reason = str(body.get("reason", "")) if isinstance(body, dict) else ""
        status = response.status_code
        if status == 410 or reason in APNS_DEAD_REASONS:
            since = body.get("timestamp") if isinstance(body, dict) else None
            return Result("dead", status, reason or "Unregistered",
                          dead_since=since / 1000 if isinstance(since, (int, float)) else None)
        if status == 403 and reason in APNS_STALE_CREDENTIAL:
            self.forget_provider_token()
            return Result("retry", status, reason)
        if status == 429 or status >= 500:
            return Result("retry", status, reason or f"HTTP {status}", retry_after=_retry_after(response))
        return Result("failed", status, reason or f"HTTP {status}")


# --- FCM -----------------------------------------------------------------------------------------

def fcm_service_account() -> dict:
    raw = settings.PUSH_FCM_SERVICE_ACCOUNT
    if not raw:
        raise NotConfigured("FCM is not configured (PUSH_FCM_SERVICE_ACCOUNT).")
    try:
        account = json.loads(raw)
    except ValueError as exc:
        raise NotConfigured("PUSH_FCM_SERVICE_ACCOUNT is not JSON.") from exc
    missing = [name for name in ("client_email", "private_key", "token_uri") if not account.get(name)]
    if missing or not (settings.PUSH_FCM_PROJECT_ID or account.get("project_id")):
        raise NotConfigured(f"The FCM service account lacks {', '.join(missing or ['project_id'])}.")
    return account


def fcm_configured() -> bool:
    try:
        fcm_service_account()
    except NotConfigured:
        return False
    return True


class AccessTokenRefused(Exception):
    def __init__(self, result: Result):
        super().__init__(result.reason)
        self.result = result


class FcmSender:
    def _cache_key(self, account: dict) -> str:
        return f"push:fcm-access-token:{account['client_email']}"

    def access_token(self, account: dict) -> str:
        cached = cache.get(self._cache_key(account))
        now = clock()
        if cached and cached["expires_at"] - 60 > now:
            return cached["token"]
        issued = int(now)
        claims = {"iss": account["client_email"], "scope": FCM_SCOPE, "aud": account["token_uri"],
                  "iat": issued, "exp": issued + 3600}
        headers = {"kid": account["private_key_id"]} if account.get("private_key_id") else None
        assertion = jwt.encode(claims, account["private_key"], algorithm="RS256", headers=headers)
        try:
            response = _client(False, settings.PUSH_FCM_CA_FILE).post(
                account["token_uri"], data={"grant_type": JWT_BEARER_GRANT, "assertion": assertion})
        except httpx.HTTPError as exc:
            raise AccessTokenRefused(_transport_failure(exc)) from exc
        if response.status_code != 200:
            outcome = "retry" if response.status_code == 429 or response.status_code >= 500 else "failed"
            raise AccessTokenRefused(Result(outcome, response.status_code,
                                            f"token endpoint: HTTP {response.status_code} {response.text[:200]}",
                                            retry_after=_retry_after(response)))
        grant = response.json()
        lifetime = int(grant.get("expires_in", 3600))
        cache.set(self._cache_key(account), {"token": grant["access_token"], "expires_at": issued + lifetime},
                  timeout=max(lifetime - 60, 1))
        return grant["access_token"]

    def forget_access_token(self, account: dict) -> None:
        cache.delete(self._cache_key(account))

    def send(self, device: Device, notice: Notice, push_id: str) -> Result:
        try:
            account = fcm_service_account()
            token = self.access_token(account)
        except NotConfigured as exc:
            return Result("failed", reason=str(exc))
        except AccessTokenRefused as exc:
            return exc.result
        project = settings.PUSH_FCM_PROJECT_ID or account["project_id"]
        url = f"{settings.PUSH_FCM_URL.rstrip('/')}/v1/projects/{project}/messages:send"
        try:
            response = _client(False, settings.PUSH_FCM_CA_FILE).post(
                url, json={"message": fcm_message(notice, device.token)}, headers={"authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            return _transport_failure(exc)
        status = response.status_code
        if status == 200:
            return Result("sent", 200)
        try:
            error = response.json().get("error")
        except (ValueError, AttributeError):
            error = None
        error = error if isinstance(error, dict) else {}
        details: list = error["details"] if isinstance(error.get("details"), list) else []
        codes = {d.get("errorCode") for d in details if isinstance(d, dict)}
        token_field = any(violation.get("field") == "message.token"
                          for d in details if isinstance(d, dict)
                          for violation in d.get("fieldViolations") or [] if isinstance(violation, dict))
        reason = next((c for c in codes if c), None) or str(error.get("status") or f"HTTP {status}")
        # Only the token's own verdicts remove a device (a wrong project or sender id is ours to fix,
        # and would otherwise empty the table).
        if "UNREGISTERED" in codes or (status == 400 and token_field):
            return Result("dead", status, reason)
        if status == 401:
            self.forget_access_token(account)
            return Result("retry", status, reason)
        if status == 429 or status >= 500:
            return Result("retry", status, reason, retry_after=_retry_after(response))
        return Result("failed", status, f"{reason}: {error.get('message', '')}"[:500])


APNS, FCM = ApnsSender(), FcmSender()


def sender_for(device: Device) -> Sender:
    return APNS if device.is_apns else FCM


def configured(kind: str) -> bool:
    return apns_configured() if kind in (Device.Kind.APNS, Device.Kind.APNS_VOIP) else fcm_configured()
