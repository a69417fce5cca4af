"""A user's settings as Zoom's `GET/PATCH /users/{userId}/settings` shows them, and what they do.

Only the settings the product has are writable, and each takes effect:

- `schedule_meeting.host_video`, `.participants_video`, `.join_before_host`, `in_meeting.waiting_room`,
  `recording.auto_recording`: the defaults of the meetings the user schedules from then on (a
  meeting's own settings win);
- `schedule_meeting.require_password_for_scheduling_new_meetings`: off, a meeting scheduled without a
  passcode gets none (on, the default, one is generated);
- `schedule_meeting.use_pmi_for_scheduled_meetings` / `.use_pmi_for_instant_meetings`: the default of
  `use_pmi` for scheduled (2, 3, 8) / instant (1) meetings;

The personal meeting room's passcode and settings are its own: `PATCH /v2/meetings/{pmi}`.

The other values shown are facts of the product (read-only). Patching anything else is refused
(400, code 300, naming the field), so nothing is accepted that would do nothing. Service functions
for the API and the personal settings page alike.
"""

from __future__ import annotations

import re

from django.db import transaction

from accounts.models import User, UserSettings

PASSCODE_RE = re.compile(r"^[A-Za-z0-9@\-_*]{1,10}$")

# (section, key) -> (default, validator returning an error or "")
def _bool(value) -> str:
    return "" if isinstance(value, bool) else "Must be a boolean (true or false)."


def _auto_recording(value) -> str:
    return "" if value in ("local", "cloud", "none") else '"local", "cloud" or "none".'


def _passcode(value) -> str:
    if isinstance(value, str) and (value == "" or PASSCODE_RE.match(value)):
        return ""
    return "A passcode has at most 10 characters among a-z A-Z 0-9 @ - _ *."


WRITABLE = {
    ("schedule_meeting", "host_video"): (False, _bool),
    ("schedule_meeting", "participants_video"): (False, _bool),
    ("schedule_meeting", "join_before_host"): (False, _bool),
    ("schedule_meeting", "require_password_for_scheduling_new_meetings"): (True, _bool),
    ("schedule_meeting", "use_pmi_for_scheduled_meetings"): (False, _bool),
    ("schedule_meeting", "use_pmi_for_instant_meetings"): (False, _bool),
    ("in_meeting", "waiting_room"): (False, _bool),
    ("recording", "auto_recording"): ("none", _auto_recording),
}

# What the product is, shown as Zoom shows it; not writable.
FACTS: dict[str, dict[str, object]] = {
    "schedule_meeting": {"audio_type": "voip", "embed_password_in_join_link": True, "personal_meeting": True},
    "in_meeting": {"co_host": True, "chat": True, "private_chat": True, "e2e_encryption": True,
                   "breakout_room": False, "polling": False, "screen_sharing": True, "closed_caption": True},
    "recording": {"cloud_recording": True, "local_recording": False, "host_pause_stop_recording": True},
    "feature": {"meeting_capacity": 300, "large_meeting": False, "webinar": False, "cn_meeting": False,
                "in_meeting": False, "zoom_phone": False},
}


class SettingsRefused(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def stored_settings(user: User) -> dict:
    """The user's stored values ({section: {key: value}}), read once for several of the calls below."""
    row = UserSettings.objects.filter(user=user).first()
    return row.values if row else {}


def get_setting(user: User, section: str, key: str, stored: dict | None = None):
    default, _ = WRITABLE[(section, key)]
    return (stored_settings(user) if stored is None else stored).get(section, {}).get(key, default)


def settings_object(user: User, stored: dict | None = None) -> dict:
    """Zoom's user settings object: the facts, then every writable value (stored, else its default)."""
    stored = stored_settings(user) if stored is None else stored
    data = {section: dict(values) for section, values in FACTS.items()}
    for (section, key), (default, _) in WRITABLE.items():
        data.setdefault(section, {})[key] = stored.get(section, {}).get(key, default)
    return data


def check_patch(body) -> dict:
    """{section: {key: value}} of a PATCH body, or SettingsRefused naming the first field refused."""
    if not isinstance(body, dict):
        raise SettingsRefused("body", "The request body must be a JSON object.")
    changes: dict = {}
    for section, values in body.items():
        if not isinstance(values, dict):
            raise SettingsRefused(str(section)[:64], "Must be an object.")
        for key, value in values.items():
            name = f"{section}.{key}"[:128]
            if (section, key) not in WRITABLE:
                raise SettingsRefused(name, "This setting cannot be changed here (it does not exist in this product "
                                            "or is a fixed property of it).")
            problem = WRITABLE[(section, key)][1](value)
            if problem:
                raise SettingsRefused(name, problem)
            changes.setdefault(section, {})[key] = value
    return changes


@transaction.atomic
def update_settings(user: User, body) -> dict:
    """Applies a PATCH body (see `check_patch`); returns the new settings object."""
    changes = check_patch(body)
    row, _ = UserSettings.objects.select_for_update().get_or_create(user=user)
    for section, values in changes.items():
        row.values.setdefault(section, {}).update(values)
    row.save()
    return settings_object(user)


def meeting_defaults(user: User, meeting_type: int, stored: dict | None = None) -> dict:
    """The meeting settings a new meeting of `user` starts from (before the request's own)."""
    pmi_key = "use_pmi_for_instant_meetings" if meeting_type == 1 else "use_pmi_for_scheduled_meetings"
    current = settings_object(user, stored)
    schedule, in_meeting = current["schedule_meeting"], current["in_meeting"]
    return {
        "host_video": schedule["host_video"],
        "participant_video": schedule["participants_video"],
        "join_before_host": schedule["join_before_host"],
        "waiting_room": in_meeting["waiting_room"],
        "auto_recording": current["recording"]["auto_recording"],
        "use_pmi": schedule[pmi_key],
    }


def generates_passcodes(user: User, stored: dict | None = None) -> bool:
    return bool(get_setting(user, "schedule_meeting", "require_password_for_scheduling_new_meetings", stored))
