"""What a push says, independent of the service that carries it, and how each service spells it.

A `Notice` is either an alert (a visible notification: title, body) or a call event (`call=True`:
an APNs VoIP push for PushKit/CallKit on iOS, a high-priority data-only FCM message on Android), so
a client can ring, or end the call it shows, and keep a running call in picture-in-picture.
`data` holds the custom keys (strings: FCM data values must be strings); `event` is always one.
"""

from __future__ import annotations

import dataclasses
import time


@dataclasses.dataclass(frozen=True)
class Notice:
    event: str
    title: str = ""
    body: str = ""
    data: dict[str, str] = dataclasses.field(default_factory=dict)
    call: bool = False
    collapse_id: str = ""  # a newer notice with the same id replaces the older one on the device
    thread_id: str = ""  # groups alerts on iOS (e.g. one thread per meeting)
    ttl: int = 3600  # seconds the service may keep it for an offline device (0: now or never)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> Notice:
        fields = {field.name for field in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in fields})


def apns_request(notice: Notice, topic: str, now: float | None = None) -> tuple[dict[str, str], dict]:
    """(headers, payload) of an APNs request. Custom keys sit beside `aps`, as Apple asks."""
    now = time.time() if now is None else now
    headers = {
        "apns-topic": f"{topic}.voip" if notice.call else topic,
        "apns-push-type": "voip" if notice.call else "alert",
        "apns-priority": "10",  # every notice here is for a person now (a call, a meeting, a door)
        "apns-expiration": str(int(now) + notice.ttl) if notice.ttl > 0 else "0",
    }
    if notice.collapse_id:
        headers["apns-collapse-id"] = notice.collapse_id[:64]
    aps: dict = {}
    if not notice.call:
        aps = {"alert": {"title": notice.title, "body": notice.body}, "sound": "default"}
        if notice.thread_id:
            aps["thread-id"] = notice.thread_id
    payload = {"aps": aps, "event": notice.event, **notice.data}
    return headers, payload


def fcm_message(notice: Notice, token: str) -> dict:
    """The `message` of FCM HTTP v1's messages:send for one registration token."""
    android: dict = {"priority": "high", "ttl": f"{max(notice.ttl, 0)}s"}
    if notice.collapse_id:
        android["collapse_key"] = notice.collapse_id[:64]
    message: dict = {"token": token, "data": {"event": notice.event, **notice.data}, "android": android}
    if not notice.call:  # a call is data only: the app rings through its own call screen
        message["notification"] = {"title": notice.title, "body": notice.body}
    return message
