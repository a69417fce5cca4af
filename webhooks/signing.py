"""How webhook deliveries are encoded and signed (Zoom's `x-zm-signature`) and how a receiver answers Zoom's
`endpoint.url_validation` challenge. Pure functions: no database, no network."""

from __future__ import annotations

import hashlib
import hmac
import json
import time


def signature(secret_token: str, timestamp: str, body: bytes) -> str:
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret_token.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret_token: str, body: bytes, timestamp: str | None = None) -> dict:
    timestamp = timestamp or str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "x-zm-request-timestamp": timestamp,
        "x-zm-signature": signature(secret_token, timestamp, body),
        "User-Agent": "Confer-Webhook/1.0",
    }


def encode(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def url_validation_response(secret_token: str, plain_token: str) -> dict:
    """The answer a receiver gives to Zoom's `endpoint.url_validation` challenge: the plain token and
    its HMAC-SHA256 (hex) keyed with the endpoint's secret token. Confer checks a receiver's answer
    against this before an endpoint may receive events."""
    encrypted = hmac.new(secret_token.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}


def url_validation_passes(secret_token: str, plain_token: str, answer: object) -> bool:
    """Whether a receiver's JSON answer to the challenge proves it holds the secret token."""
    if not isinstance(answer, dict) or answer.get("plainToken") != plain_token:
        return False
    expected = url_validation_response(secret_token, plain_token)["encryptedToken"]
    return hmac.compare_digest(str(answer.get("encryptedToken", "")), expected)
