"""A small synchronous client for the Janus HTTP API and Admin API.

Only the server talks to Janus (signalling is bound to loopback). Every request carries the
API secret; room creation carries the VideoRoom admin key. The media engine builds on these
calls; health checks use `info`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import requests
from django.conf import settings

VIDEOROOM = "janus.plugin.videoroom"


class JanusError(Exception):
    """Janus answered with an error, or could not be reached."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


def _transaction() -> str:
    return secrets.token_hex(8)


@dataclass
class Janus:
    url: str = field(default_factory=lambda: settings.JANUS_URL)
    admin_url: str = field(default_factory=lambda: settings.JANUS_ADMIN_URL)
    api_secret: str | None = field(default_factory=lambda: settings.JANUS_API_SECRET)
    admin_secret: str | None = field(default_factory=lambda: settings.JANUS_ADMIN_SECRET)
    timeout: float = field(default_factory=lambda: settings.JANUS_TIMEOUT)

    def _post(self, url: str, body: dict) -> dict:
        body = {"transaction": _transaction(), **body}
        if self.api_secret:
            body.setdefault("apisecret", self.api_secret)
        try:
            response = requests.post(url, json=body, timeout=self.timeout)
            response.raise_for_status()
            reply = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise JanusError(f"Janus unreachable at {url}: {exc}") from exc
        if reply.get("janus") == "error":
            error = reply.get("error", {})
            raise JanusError(error.get("reason", "Janus error"), error.get("code"))
        return reply

    def info(self) -> dict:
        try:
            response = requests.get(f"{self.url}/info", timeout=self.timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            raise JanusError(f"Janus unreachable at {self.url}: {exc}") from exc

    def admin(self, request: str, **body) -> dict:
        return self._post(self.admin_url, {"janus": request, "admin_secret": self.admin_secret, **body})

    def create_session(self) -> int:
        return self._post(self.url, {"janus": "create"})["data"]["id"]

    def destroy_session(self, session_id: int) -> None:
        self._post(f"{self.url}/{session_id}", {"janus": "destroy"})

    def attach(self, session_id: int, plugin: str = VIDEOROOM) -> int:
        return self._post(f"{self.url}/{session_id}", {"janus": "attach", "plugin": plugin})["data"]["id"]

    def message(self, session_id: int, handle_id: int, body: dict) -> dict:
        """Sends a synchronous plugin request and returns the plugin's data."""
        reply = self._post(f"{self.url}/{session_id}/{handle_id}", {"janus": "message", "body": body})
        data = reply.get("plugindata", {}).get("data", {})
        if "error_code" in data:
            raise JanusError(data.get("error", "plugin error"), data["error_code"])
        return data


class VideoRoomAdmin:
    """Room administration through one long-lived handle (create, destroy, list, kick)."""

    def __init__(self, janus: Janus | None = None, admin_key: str | None = None):
        self.janus = janus or Janus()
        self.admin_key = admin_key if admin_key is not None else settings.JANUS_ROOM_ADMIN_KEY
        self.session_id = self.janus.create_session()
        self.handle_id = self.janus.attach(self.session_id)

    def request(self, body: dict) -> dict:
        return self.janus.message(self.session_id, self.handle_id, body)

    def create_room(self, room: int | str, **options) -> dict:
        body = {"request": "create", "room": room, "permanent": False, **options}
        if self.admin_key:
            body["admin_key"] = self.admin_key
        return self.request(body)

    def destroy_room(self, room: int | str, secret: str | None = None) -> dict:
        body = {"request": "destroy", "room": room, "permanent": False}
        if secret:
            body["secret"] = secret
        return self.request(body)

    def exists(self, room: int | str) -> bool:
        return bool(self.request({"request": "exists", "room": room}).get("exists"))

    def close(self) -> None:
        self.janus.destroy_session(self.session_id)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
