"""Validation of the Zoom meeting bodies: strict types, Zoom's ranges, field names in every error.

JSON types are checked strictly (a string is not a number, a number is not a boolean), so a
wrong type is a 400 naming the field, never a 500 further down. Unknown fields are ignored,
as Zoom does.
"""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timezone as dt_timezone
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from rest_framework import serializers

from config import outbound

PASSCODE_RE = re.compile(r"^[A-Za-z0-9@\-_*]{1,10}$")
MAX_DURATION_MINUTES = 24 * 60
MAX_OCCURRENCES = 60
# Zoom's limits for repeat_interval by recurrence type (daily, weekly, monthly).
MAX_REPEAT_INTERVAL = {1: 99, 2: 50, 3: 10}

# Zoom's defaults of the settings every meeting object shows (others appear once given). Unknown keys are ignored.
DEFAULT_SETTINGS: dict = {
    "host_video": False,
    "participant_video": False,
    "join_before_host": False,
    "jbh_time": 0,
    "mute_upon_entry": False,
    "waiting_room": False,
    "auto_recording": "none",
    "meeting_authentication": False,
    "authentication_domains": "",
    "alternative_hosts": "",
    "alternative_hosts_email_notification": True,
    "watermark": False,
    "approval_type": 2,
    "registration_type": 1,
    "focus_mode": False,
    "use_pmi": False,
    "audio": "voip",
    "allow_multiple_devices": False,
    "encryption_type": "enhanced_encryption",
    "private_meeting": False,
    "email_notification": True,
    "participant_focused_meeting": False,
    "internal_meeting": False,
    "alternative_host_update_polls": False,
    "approved_or_denied_countries_or_regions": {"enable": False},
    "breakout_room": {"enable": False},
    "close_registration": False,
    "cn_meeting": False,
    "in_meeting": False,
    "global_dial_in_countries": [],
    "host_save_video_order": False,
    "language_interpretation": {"enable": False},
    "sign_language_interpretation": {"enable": False},
    "registrants_confirmation_email": True,
    "registrants_email_notification": True,
    "show_share_button": False,
    "continuous_meeting_chat": {"enable": False},
    "push_change_to_calendar": False,
}

# Zoom: "Enabling E2EE also disables certain features, such as cloud recording, live streaming, and
# allowing participants to join before the host." What a meeting with encryption_type e2ee has
# instead of the values given (meetings/encryption.py refuses the rest when asked).
E2EE_FORCED_SETTINGS = {"join_before_host": False}
E2EE_REPLACED_SETTINGS = {"auto_recording": {"cloud": "none"}}


def with_e2ee_rules(settings: dict) -> dict:
    """`settings` as they apply: in an end-to-end encrypted meeting without join before host or cloud recording."""
    if settings.get("encryption_type") != "e2ee":
        return settings
    applied = {**settings, **E2EE_FORCED_SETTINGS}
    for name, replaced in E2EE_REPLACED_SETTINGS.items():
        if applied.get(name) in replaced:
            applied[name] = replaced[applied[name]]
    return applied


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def valid_timezone(name) -> bool:
    return isinstance(name, str) and name in timezone_names()


def _has_text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "Null characters are not allowed."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "Invalid Unicode (lone surrogate)."
    return None


class StrictCharField(serializers.CharField):
    """Only JSON strings; no NUL or lone surrogates (PostgreSQL would refuse them)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        problem = _has_text_problem(data)
        if problem:
            raise serializers.ValidationError(problem)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be a boolean (true or false)."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid")


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """A choice whose JSON type must match the choices' type (2, not "2")."""

    def to_internal_value(self, data):
        expected = type(next(iter(self.choices)))
        if isinstance(data, bool) or not isinstance(data, (int, str)) or type(data) is not expected \
                or data not in self.choices:
            self.fail("invalid_choice", input=data)
        return data


class DateTimeStringField(StrictCharField):
    """ISO 8601 date-time. With 'Z' or an offset it is absolute; without, it is local wall time
    (Zoom: 'yyyy-MM-ddTHH:mm:ss' in the meeting's timezone). Returns a datetime, naive or aware."""

    default_error_messages = {"invalid_datetime": "Must be a date-time such as 2024-03-01T15:00:00Z."}

    def to_internal_value(self, data):
        text = super().to_internal_value(data).strip()
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            self.fail("invalid_datetime")
        if not 1970 <= value.year <= 9000:
            self.fail("invalid_datetime")
        return value


class TimezoneField(StrictCharField):
    default_error_messages = {"invalid_timezone": "Unknown time zone {input!r}; use an IANA name such as Europe/Berlin."}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not valid_timezone(value):
            self.fail("invalid_timezone", input=value[:64])
        return value


class StrictListField(serializers.ListField):
    """A JSON array (a string or an object is not one), at most `max_length` items."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


def _strings(max_length: int = 64, items: int = 300):
    return StrictListField(child=StrictCharField(max_length=max_length), required=False, max_length=items)


class EmailItemSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class AuthenticationExceptionSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    name = StrictCharField(required=False, allow_blank=True, max_length=64)


class CountriesSerializer(serializers.Serializer):
    enable = StrictBooleanField(required=False)
    method = StrictChoiceField(choices=["approve", "deny"], required=False)
    approved_list = _strings(8)
    denied_list = _strings(8)

    def validate_enable(self, value):
        if value:  # a block that is silently not enforced would let in whom the host meant to keep out
            raise serializers.ValidationError("Approving or blocking countries or regions is not available.")
        return value


class BreakoutRoomSerializer(serializers.Serializer):
    class Room(serializers.Serializer):
        name = StrictCharField(max_length=64)
        participants = StrictListField(child=serializers.EmailField(max_length=254), required=False, max_length=200)

    enable = StrictBooleanField(required=False)
    rooms = Room(many=True, required=False, max_length=50)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True


class InterpreterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    languages = StrictCharField(required=False, max_length=64)
    interpreter_languages = StrictCharField(required=False, max_length=64)


class InterpretationSerializer(serializers.Serializer):
    enable = StrictBooleanField(required=False)
    interpreters = InterpreterSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True


class SignInterpreterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    sign_language = StrictCharField(required=False, max_length=64)


class SignInterpretationSerializer(serializers.Serializer):
    enable = StrictBooleanField(required=False)
    interpreters = SignInterpreterSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True


class ContinuousChatSerializer(serializers.Serializer):
    enable = StrictBooleanField(required=False)
    auto_add_invited_external_users = StrictBooleanField(required=False)


class ResourceSerializer(serializers.Serializer):
    resource_type = StrictChoiceField(choices=["whiteboard"])
    resource_id = StrictCharField(max_length=64)
    permission_level = StrictChoiceField(choices=["editor", "commenter", "viewer"], required=False)


class SettingsSerializer(serializers.Serializer):
    host_video = StrictBooleanField(required=False)
    participant_video = StrictBooleanField(required=False)
    join_before_host = StrictBooleanField(required=False)
    jbh_time = StrictChoiceField(choices=[0, 5, 10], required=False)
    mute_upon_entry = StrictBooleanField(required=False)
    waiting_room = StrictBooleanField(required=False)
    auto_recording = StrictChoiceField(choices=["local", "cloud", "none"], required=False)
    meeting_authentication = StrictBooleanField(required=False)
    authentication_domains = StrictCharField(required=False, allow_blank=True, max_length=1024)
    alternative_hosts = StrictCharField(required=False, allow_blank=True, max_length=2048)
    alternative_hosts_email_notification = StrictBooleanField(required=False)
    watermark = StrictBooleanField(required=False)
    approval_type = StrictChoiceField(choices=[0, 1, 2], required=False)
    registration_type = StrictChoiceField(choices=[1, 2, 3], required=False)
    focus_mode = StrictBooleanField(required=False)
    use_pmi = StrictBooleanField(required=False)
    audio = StrictChoiceField(choices=["both", "telephony", "voip", "thirdParty"], required=False)
    allow_multiple_devices = StrictBooleanField(required=False)
    encryption_type = StrictChoiceField(choices=["enhanced_encryption", "e2ee"], required=False)
    private_meeting = StrictBooleanField(required=False)
    email_notification = StrictBooleanField(required=False)
    participant_focused_meeting = StrictBooleanField(required=False)
    internal_meeting = StrictBooleanField(required=False)
    # The rest of Zoom's meeting settings: stored and returned (docs/meetings.md says which do nothing yet).
    additional_data_center_regions = _strings(8)
    alternative_host_update_polls = StrictBooleanField(required=False)
    approved_or_denied_countries_or_regions = CountriesSerializer(required=False)
    audio_conference_info = StrictCharField(required=False, allow_blank=True, max_length=2048)
    authentication_exception = AuthenticationExceptionSerializer(many=True, required=False, max_length=300)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True
    authentication_option = StrictCharField(required=False, allow_blank=True, max_length=64)
    breakout_room = BreakoutRoomSerializer(required=False)
    calendar_type = StrictChoiceField(choices=[1, 2], required=False)
    close_registration = StrictBooleanField(required=False)
    cn_meeting = StrictBooleanField(required=False)
    contact_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    contact_name = StrictCharField(required=False, allow_blank=True, max_length=128)
    global_dial_in_countries = _strings(8)
    host_save_video_order = StrictBooleanField(required=False)
    in_meeting = StrictBooleanField(required=False)
    language_interpretation = InterpretationSerializer(required=False)
    sign_language_interpretation = SignInterpretationSerializer(required=False)
    meeting_invitees = EmailItemSerializer(many=True, required=False, max_length=300)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True
    registrants_confirmation_email = StrictBooleanField(required=False)
    registrants_email_notification = StrictBooleanField(required=False)
    show_share_button = StrictBooleanField(required=False)
    continuous_meeting_chat = ContinuousChatSerializer(required=False)
    push_change_to_calendar = StrictBooleanField(required=False)
    resources = ResourceSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True


# Settings an occurrence may override (Zoom's list for PATCH with occurrence_id).
OCCURRENCE_SETTINGS = {"host_video", "participant_video", "join_before_host", "mute_upon_entry", "waiting_room",
                       "watermark", "auto_recording"}


class RecurrenceSerializer(serializers.Serializer):
    type = StrictChoiceField(choices=[1, 2, 3])
    repeat_interval = StrictIntegerField(required=False, min_value=1)
    weekly_days = StrictCharField(required=False, max_length=20)
    monthly_day = StrictIntegerField(required=False, min_value=1, max_value=31)
    monthly_week = StrictChoiceField(choices=[-1, 1, 2, 3, 4], required=False)
    monthly_week_day = StrictChoiceField(choices=[1, 2, 3, 4, 5, 6, 7], required=False)
    end_times = StrictIntegerField(required=False, min_value=1, max_value=MAX_OCCURRENCES)
    end_date_time = DateTimeStringField(required=False)

    def validate_weekly_days(self, value):
        days = [part.strip() for part in value.split(",") if part.strip()]
        if not days or any(day not in {"1", "2", "3", "4", "5", "6", "7"} for day in days):
            raise serializers.ValidationError("Use a comma-separated list of days, 1 (Sunday) to 7 (Saturday).")
        return ",".join(sorted(set(days), key=int))

    def validate(self, data):
        interval = data.get("repeat_interval", 1)
        if interval > MAX_REPEAT_INTERVAL[data["type"]]:
            raise serializers.ValidationError(
                {"repeat_interval": f"Must be at most {MAX_REPEAT_INTERVAL[data['type']]} for this recurrence type."})
        if "end_times" in data and "end_date_time" in data:
            raise serializers.ValidationError({"end_date_time": "Use either end_times or end_date_time, not both."})
        if "end_date_time" in data and data["end_date_time"].tzinfo is None:
            data["end_date_time"] = data["end_date_time"].replace(tzinfo=dt_timezone.utc)  # Zoom: UTC
        if data["type"] == 2:
            data.setdefault("weekly_days", "1")
        if data["type"] == 3:
            by_week = "monthly_week" in data or "monthly_week_day" in data
            if by_week and not ("monthly_week" in data and "monthly_week_day" in data):
                raise serializers.ValidationError(
                    {"monthly_week": "monthly_week and monthly_week_day must be given together."})
            if by_week and "monthly_day" in data:
                raise serializers.ValidationError(
                    {"monthly_day": "Use either monthly_day or monthly_week with monthly_week_day."})
            if not by_week:
                data.setdefault("monthly_day", 1)
        if "end_date_time" not in data:
            data.setdefault("end_times", 1)
        return data


class TrackingFieldSerializer(serializers.Serializer):
    field = StrictCharField(max_length=128)
    value = StrictCharField(required=False, allow_blank=True, max_length=512)


class MeetingFieldsSerializer(serializers.Serializer):
    """The fields of Zoom's meeting object a caller may send (create and update)."""

    topic = StrictCharField(required=False, allow_blank=True, max_length=200)
    type = StrictChoiceField(choices=[1, 2, 3, 8], required=False)
    start_time = DateTimeStringField(required=False)
    duration = StrictIntegerField(required=False, min_value=1, max_value=MAX_DURATION_MINUTES)
    timezone = TimezoneField(required=False)
    password = StrictCharField(required=False, allow_blank=True, max_length=10)
    default_password = StrictBooleanField(required=False)
    agenda = StrictCharField(required=False, allow_blank=True, max_length=2000)
    pre_schedule = StrictBooleanField(required=False)
    schedule_for = StrictCharField(required=False, max_length=254)
    template_id = StrictCharField(required=False, allow_blank=True, max_length=64)
    recurrence = RecurrenceSerializer(required=False)
    settings = SettingsSerializer(required=False)
    tracking_fields = TrackingFieldSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True

    def validate_password(self, value):
        if value and not PASSCODE_RE.match(value):
            raise serializers.ValidationError("A passcode has at most 10 characters among a-z A-Z 0-9 @ - _ *.")
        return value


class OccurrenceUpdateSerializer(serializers.Serializer):
    start_time = DateTimeStringField(required=False)
    duration = StrictIntegerField(required=False, min_value=1, max_value=MAX_DURATION_MINUTES)
    agenda = StrictCharField(required=False, allow_blank=True, max_length=2000)
    settings = SettingsSerializer(required=False)


class StatusSerializer(serializers.Serializer):
    action = StrictChoiceField(choices=["end", "recover"])


class InviteAttendeeSerializer(serializers.Serializer):
    name = StrictCharField(max_length=64, allow_blank=False)
    ttl = StrictIntegerField(required=False, min_value=0, max_value=7_776_000)  # seed: per attendee


class InviteLinksSerializer(serializers.Serializer):
    attendees = InviteAttendeeSerializer(many=True, allow_empty=False, max_length=500)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True
    ttl = StrictIntegerField(required=False, min_value=0, max_value=7_776_000, default=7200)


class LivestreamSerializer(serializers.Serializer):
    stream_url = StrictCharField(max_length=1024)
    stream_key = StrictCharField(max_length=512)
    page_url = StrictCharField(max_length=1024)
    resolution = StrictChoiceField(choices=["720p", "1080p", "1280x720", "1920x1080"], required=False)

    def validate_page_url(self, value):
        if not re.match(r"^https?://[^\s/]+", value):
            raise serializers.ValidationError("Must be an http(s) URL.")
        return value

    def validate_stream_url(self, value):
        if not re.match(r"^rtmps?://[^\s/]+", value):
            raise serializers.ValidationError("Must be an rtmp:// or rtmps:// URL.")
        try:
            outbound.check_url(value, unresolvable_ok=True)  # SSRF: checked again when streaming starts
        except outbound.RefusedDestination as refused:
            raise serializers.ValidationError(str(refused)) from None
        return value


class LivestreamSettingsSerializer(serializers.Serializer):
    active_speaker_name = StrictBooleanField(required=False)
    display_name = StrictCharField(required=False, min_length=1, max_length=50)


class LivestreamStatusSerializer(serializers.Serializer):
    action = StrictChoiceField(choices=["start", "stop"])
    settings = LivestreamSettingsSerializer(required=False)


class SipDialingSerializer(serializers.Serializer):
    passcode = StrictCharField(required=False, allow_blank=True, max_length=10)


class ContactSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False)
    id = StrictCharField(required=False, max_length=64)

    def to_internal_value(self, data):
        if isinstance(data, dict) and "email" in data and not isinstance(data["email"], str):
            raise serializers.ValidationError({"email": "Enter a valid email address."})
        return super().to_internal_value(data)


class HeadersSerializer(serializers.Serializer):
    from_display_name = StrictCharField(required=False, max_length=64)
    to_display_name = StrictCharField(required=False, max_length=64)


class EventParamsSerializer(serializers.Serializer):
    contacts = ContactSerializer(many=True, required=False, max_length=10)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True
    invitee_name = StrictCharField(required=False, max_length=64)
    # participant.invite.callout (a phone number) and .room_system_callout (call_type sip, device_ip
    # a SIP URI or address); h323 is not offered.
    phone_number = StrictCharField(required=False, max_length=40)
    invite_options = serializers.DictField(required=False)
    call_type = StrictChoiceField(choices=["sip", "h323"], required=False)
    device_ip = StrictCharField(required=False, max_length=300)
    sip_headers = HeadersSerializer(required=False)
    h323_headers = HeadersSerializer(required=False)


IN_MEETING_METHODS = [
    "recording.start", "recording.stop", "recording.pause", "recording.resume",
    "participant.invite", "participant.invite.callout", "participant.invite.room_system_callout",
    # Controls the room needs that Zoom's list lacks (documented in docs/meetings.md).
    "meeting.end", "participants.mute_all",
]


class InMeetingEventSerializer(serializers.Serializer):
    method = StrictChoiceField(choices=IN_MEETING_METHODS)
    params = EventParamsSerializer(required=False)


def validate(serializer_class, data, **kwargs):
    """Validates `data` (raising DRF's ValidationError, which /v2 answers as code 300) and returns it."""
    if not isinstance(data, dict):
        raise serializers.ValidationError({"body": "The request body must be a JSON object."})
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def to_utc(value: datetime, tz_name: str) -> datetime:
    """A parsed start_time in UTC: naive values are wall time in `tz_name`."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz_name))
    return value.astimezone(dt_timezone.utc)


class CustomAnswerSerializer(serializers.Serializer):
    title = StrictCharField(max_length=128)
    value = StrictCharField(required=False, allow_blank=True, max_length=128)


class RegistrantSerializer(serializers.Serializer):
    """Zoom's registration form (POST /meetings/{id}/registrants, and the registration page)."""

    email = serializers.EmailField(max_length=128)
    first_name = StrictCharField(max_length=64)
    last_name = StrictCharField(required=False, allow_blank=True, max_length=64)
    address = StrictCharField(required=False, allow_blank=True, max_length=256)
    city = StrictCharField(required=False, allow_blank=True, max_length=64)
    state = StrictCharField(required=False, allow_blank=True, max_length=64)
    zip = StrictCharField(required=False, allow_blank=True, max_length=32)
    country = StrictCharField(required=False, allow_blank=True, max_length=8)
    phone = StrictCharField(required=False, allow_blank=True, max_length=32)
    comments = StrictCharField(required=False, allow_blank=True, max_length=2000)
    industry = StrictCharField(required=False, allow_blank=True, max_length=64)
    job_title = StrictCharField(required=False, allow_blank=True, max_length=64)
    no_of_employees = StrictCharField(required=False, allow_blank=True, max_length=32)
    org = StrictCharField(required=False, allow_blank=True, max_length=128)
    purchasing_time_frame = StrictCharField(required=False, allow_blank=True, max_length=64)
    role_in_purchase_process = StrictCharField(required=False, allow_blank=True, max_length=64)
    language = StrictCharField(required=False, allow_blank=True, max_length=16)
    custom_questions = CustomAnswerSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True
    auto_approve = StrictBooleanField(required=False)


class RegistrantRefSerializer(serializers.Serializer):
    id = StrictCharField(required=False, max_length=64)
    email = serializers.EmailField(required=False, max_length=128)


class RegistrantStatusSerializer(serializers.Serializer):
    action = StrictChoiceField(choices=["approve", "deny", "cancel"])
    registrants = RegistrantRefSerializer(many=True, required=False, max_length=30)  # type: ignore[call-arg]  # drf-stubs: ListSerializer's max_length is passed through many=True
