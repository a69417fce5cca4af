"""The events a subscription can ask for, in the order the page lists them (Zoom's names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "meeting.created": _("Meeting created"),
    "meeting.updated": _("Meeting updated"),
    "meeting.deleted": _("Meeting deleted"),
    "meeting.started": _("Meeting started"),
    "meeting.ended": _("Meeting ended"),
    "meeting.participant_joined": _("Participant joined"),
    "meeting.participant_left": _("Participant left"),
    "meeting.participant_joined_waiting_room": _("Participant joined the waiting room"),
    "meeting.participant_admitted": _("Participant admitted"),
    "meeting.sharing_started": _("Screen sharing started"),
    "meeting.sharing_ended": _("Screen sharing ended"),
    "recording.started": _("Recording started"),
    "recording.paused": _("Recording paused"),
    "recording.resumed": _("Recording resumed"),
    "recording.stopped": _("Recording stopped"),
    "recording.completed": _("Recording completed"),
    "recording.trashed": _("Recording moved to trash"),
    "recording.deleted": _("Recording deleted"),
    "recording.recovered": _("Recording recovered"),
    "meeting.summary_completed": _("Meeting summary completed"),
    "meeting.summary_updated": _("Meeting summary updated"),
    "meeting.summary_deleted": _("Meeting summary deleted"),
    "meeting.alert": _("Meeting alert (poor connection)"),
}
