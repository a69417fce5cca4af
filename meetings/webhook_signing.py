"""How webhook deliveries are encoded and signed (Zoom's `x-zm-signature`, see `meetings.webhooks`)."""

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
