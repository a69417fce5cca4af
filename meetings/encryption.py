"""End-to-end encrypted meetings (`settings.encryption_type = "e2ee"`): what the server cannot do for them.

In such a meeting the browsers encrypt every media frame with keys they agree among themselves
(static/js/e2ee/, docs/room.md); the server and Janus forward frames they cannot read. Whatever
needs the server to hear or see the meeting is therefore refused, as Zoom refuses it: cloud
recording, live transcription (captions), live streaming, phone and SIP dial-in and call-out, and
meeting summaries. The one domain function of each feature calls `refuse_if_encrypted`; the room
shows those controls disabled with the same reason. Join before host and cloud auto-recording are
turned off by the settings themselves (`validation.with_e2ee_rules`).
"""

from __future__ import annotations

from rest_framework import status

from config.api import CANNOT_ACCESS_MEETING, ZoomAPIError
from meetings.models import Meeting

UNAVAILABLE = {
    "recording": "Cloud recording",
    "transcription": "Live transcription",
    "livestream": "Live streaming",
    "sip": "Joining by phone or SIP",
    "summary": "A meeting summary",
}


def unavailable_message(feature: str) -> str:
    return (f"{UNAVAILABLE[feature]} is not available in an end-to-end encrypted meeting: "
            "only the participants' browsers hold its keys, the server cannot hear or see it.")


def refuse_if_encrypted(meeting: Meeting, feature: str) -> None:
    """Zoom's 400 (code 3000) when `meeting` is end-to-end encrypted and `feature` needs its media."""
    if meeting.end_to_end_encrypted:
        raise ZoomAPIError(status.HTTP_400_BAD_REQUEST, CANNOT_ACCESS_MEETING, unavailable_message(feature))
