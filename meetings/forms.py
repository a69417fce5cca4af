"""The schedule/edit form of the meeting pages. It produces the same data the API validates, so the
pages and /v2 share one set of rules (meetings.validation) and one service layer (meetings.actions)."""

from __future__ import annotations

import re
from datetime import datetime, time
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api import first_validation_error
from config.errors import ConferError
from meetings import validation
from meetings.models import Meeting

DURATIONS = [(15, "15 min"), (30, "30 min"), (45, "45 min"), (60, "1 hour"), (90, "1 h 30"), (120, "2 hours"),
             (180, "3 hours"), (240, "4 hours"), (480, "8 hours")]
REPEATS = [("", _("Does not repeat")), ("1", _("Daily")), ("2", _("Weekly")), ("3", _("Monthly"))]
WEEKDAYS = [("1", _("Sun")), ("2", _("Mon")), ("3", _("Tue")), ("4", _("Wed")), ("5", _("Thu")), ("6", _("Fri")),
            ("7", _("Sat"))]
RECORDING = [("none", _("Do not record")), ("cloud", _("Record to the cloud")), ("local", _("Record locally"))]


def timezone_choices():
    return [(name, name) for name in sorted(validation.timezone_names())]


MONTHLY_BY = [("day", _("On day of the month")), ("weekday", _("On a weekday"))]
MONTH_WEEKS = [("1", _("First")), ("2", _("Second")), ("3", _("Third")), ("4", _("Fourth")), ("-1", _("Last"))]
WEEKDAY_NAMES = [("1", _("Sunday")), ("2", _("Monday")), ("3", _("Tuesday")), ("4", _("Wednesday")), ("5", _("Thursday")),
                 ("6", _("Friday")), ("7", _("Saturday"))]
END_BY = [("count", _("After a number of occurrences")), ("date", _("On a date"))]


class MeetingForm(forms.Form):
    """Zoom's scheduler, grouped as Zoom groups it: when, recurrence, security, video, audio, options."""

    topic = forms.CharField(label=_("Topic"), max_length=200, required=False,
                            widget=forms.TextInput(attrs={"placeholder": _("Add title")}))
    start = forms.DateTimeField(label=_("Date and time"), required=False, input_formats=["%Y-%m-%dT%H:%M"],
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices,
                                 widget=forms.Select(attrs={"data-timezone-picker": ""}))
    duration = forms.TypedChoiceField(label=_("Duration"), choices=DURATIONS, coerce=int, initial=60)
    repeat = forms.ChoiceField(label=_("Repeat"), choices=REPEATS, required=False)
    repeat_interval = forms.IntegerField(label=_("Every"), min_value=1, max_value=99, initial=1, required=False)
    weekly_days = forms.MultipleChoiceField(label=_("On"), choices=WEEKDAYS, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    monthly_by = forms.ChoiceField(label=_("Monthly"), choices=MONTHLY_BY, initial="day", required=False)
    monthly_day = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=31, required=False)
    monthly_week = forms.ChoiceField(label=_("Week"), choices=MONTH_WEEKS, required=False)
    monthly_week_day = forms.ChoiceField(label=_("Weekday"), choices=WEEKDAY_NAMES, required=False)
    end_by = forms.ChoiceField(label=_("Ends"), choices=END_BY, initial="count", required=False)
    end_times = forms.IntegerField(label=_("Occurrences"), min_value=1, max_value=validation.MAX_OCCURRENCES,
                                   initial=4, required=False)
    end_date = forms.DateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    password = forms.CharField(label=_("Passcode"), max_length=10, required=False,
                               help_text=_("Leave empty for no passcode. Letters, digits, @ - _ *."))
    waiting_room = forms.BooleanField(required=False, label=_("Waiting room"))
    meeting_authentication = forms.BooleanField(required=False, label=_("Only signed-in users can join"))
    end_to_end_encryption = forms.BooleanField(
        required=False, label=_("End-to-end encryption"),
        help_text=_("Only the browsers in the call hold the keys. Recording, transcription, live streaming, "
                    "phone dial-in, summaries and joining before the host are turned off."))
    host_video = forms.BooleanField(required=False, label=_("Host video on"))
    participant_video = forms.BooleanField(required=False, label=_("Participant video on"))
    mute_upon_entry = forms.BooleanField(required=False, label=_("Mute participants when they join"))
    join_before_host = forms.BooleanField(required=False, label=_("Allow joining before the host"))
    auto_recording = forms.ChoiceField(choices=RECORDING, initial="none", label=_("Recording"))
    alternative_hosts = forms.CharField(label=_("Alternative hosts"), max_length=2048, required=False,
                                        help_text=_("E-mail addresses of people of your account, separated by commas."))
    agenda = forms.CharField(label=_("Description"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    SETTINGS = ("waiting_room", "join_before_host", "mute_upon_entry", "host_video", "participant_video",
                "meeting_authentication", "auto_recording", "alternative_hosts")
    GROUPS = [  # (legend, fields): the template renders these fieldsets
        (_("Security"), ("password", "waiting_room", "meeting_authentication", "end_to_end_encryption")),
        (_("Video"), ("host_video", "participant_video")),
        (_("Audio"), ("mute_upon_entry",)),
        (_("Options"), ("join_before_host", "auto_recording", "alternative_hosts", "agenda")),
    ]

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        initial = {"topic": meeting.topic, "timezone": meeting.timezone, "duration": meeting.duration,
                   "password": meeting.password, "agenda": meeting.agenda}
        if meeting.start_time:
            initial["start"] = meeting.start_time.astimezone(ZoneInfo(meeting.timezone)).replace(tzinfo=None)
        if meeting.recurrence and meeting.type == Meeting.Type.RECURRING_FIXED_TIME:
            rec = meeting.recurrence
            initial.update(repeat=str(rec["type"]), repeat_interval=rec.get("repeat_interval", 1),
                           weekly_days=(rec.get("weekly_days") or "").split(","), end_times=rec.get("end_times", 4))
            if rec.get("monthly_week"):
                initial.update(monthly_by="weekday", monthly_week=str(rec["monthly_week"]),
                               monthly_week_day=str(rec.get("monthly_week_day", 2)))
            elif rec.get("monthly_day"):
                initial.update(monthly_by="day", monthly_day=rec["monthly_day"])
            if rec.get("end_date_time"):
                end = datetime.fromisoformat(str(rec["end_date_time"]).replace("Z", "+00:00"))
                initial.update(end_by="date", end_date=end.astimezone(ZoneInfo(meeting.timezone)).date())
        for name in cls.SETTINGS:
            initial[name] = meeting.setting(name)
        initial["alternative_hosts"] = ", ".join(meeting.alternative_host_emails())
        initial["end_to_end_encryption"] = meeting.end_to_end_encrypted
        return initial

    def recurrence(self, cleaned) -> dict | None:
        """Zoom's recurrence object from the builder's fields (None: does not repeat); errors go on the fields."""
        if not cleaned.get("repeat"):
            return None
        rtype = int(cleaned["repeat"])
        recurrence = {"type": rtype, "repeat_interval": cleaned.get("repeat_interval") or 1}
        if rtype == 2:
            if not cleaned.get("weekly_days"):
                self.add_error("weekly_days", _("Choose at least one day."))
            recurrence["weekly_days"] = ",".join(cleaned.get("weekly_days") or []) or "1"
        elif rtype == 3:
            if cleaned.get("monthly_by") == "weekday":
                recurrence["monthly_week"] = int(cleaned.get("monthly_week") or 1)
                recurrence["monthly_week_day"] = int(cleaned.get("monthly_week_day") or 2)
            else:
                recurrence["monthly_day"] = cleaned.get("monthly_day") or cleaned["start"].day
        if cleaned.get("end_by") == "date":
            if not cleaned.get("end_date"):
                self.add_error("end_date", _("Choose the last day."))
                return recurrence
            zone = ZoneInfo(cleaned["timezone"])
            last = datetime.combine(cleaned["end_date"], time(23, 59), tzinfo=zone)
            if last < cleaned["start"].replace(tzinfo=zone):
                self.add_error("end_date", _("The end date is before the start."))
            recurrence["end_date_time"] = last.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            recurrence["end_times"] = cleaned.get("end_times") or 1
        return recurrence

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        if self.errors:
            return cleaned
        if not cleaned.get("start"):
            self.add_error("start", _("Choose when the meeting starts."))
            return cleaned
        settings = {name: cleaned.get(name) for name in self.SETTINGS}
        settings["alternative_hosts"] = ";".join(
            part for part in re.split(r"[\s,;]+", cleaned.get("alternative_hosts") or "") if part)
        settings["encryption_type"] = "e2ee" if cleaned.get("end_to_end_encryption") else "enhanced_encryption"
        data = {
            "topic": cleaned.get("topic") or "",
            "start_time": cleaned["start"].replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S"),
            "timezone": cleaned["timezone"],
            "duration": cleaned["duration"],
            "password": cleaned.get("password") or "",
            "agenda": cleaned.get("agenda") or "",
            "type": 2,
            "settings": settings,
        }
        recurrence = self.recurrence(cleaned)
        if self.errors:
            return cleaned
        if recurrence:
            data.update(type=8, recurrence=recurrence)
        try:
            self.api_data = validation.validate(validation.MeetingFieldsSerializer, data)
        except serializers.ValidationError as exc:
            self.add_error(*self.field_error(exc.detail))
        return cleaned

    API_FIELDS = {"start_time": "start", "recurrence": "repeat", "recurrence.end_date_time": "end_date",
                  "recurrence.end_times": "end_times", "recurrence.repeat_interval": "repeat_interval",
                  "recurrence.weekly_days": "weekly_days", "recurrence.monthly_day": "monthly_day",
                  "settings.encryption_type": "end_to_end_encryption"}

    def form_field(self, api_field: str | None) -> str | None:
        """The form field an API field (e.g. "settings.alternative_hosts") is about, or None."""
        if not api_field:
            return None
        if api_field in self.API_FIELDS:
            return self.API_FIELDS[api_field]
        parts = api_field.split(".")
        if parts[0] == "settings" and len(parts) > 1:
            return parts[1] if parts[1] in self.fields else None
        return self.API_FIELDS.get(parts[0], parts[0] if parts[0] in self.fields else None)

    def field_error(self, detail) -> tuple[str | None, str]:
        """The API's first error, put on the form field it is about."""
        field, message = first_validation_error(detail)
        return self.form_field(field), message

    def add_service_error(self, error: ConferError) -> None:
        """A refusal of the service layer (e.g. an alternative host not in the account) beside its field."""
        name = self.form_field(error.field)
        self.add_error(name, error.bare_message if name else friendly(error))


def friendly(error: ConferError) -> str:
    """An error as a sentence for a page ("start_time" + "..." -> "Start time: ...")."""
    if error.field:
        return f"{error.field.split('.')[-1].replace('_', ' ').capitalize()}: {error.bare_message}"
    return error.message


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Meeting ID or link"), max_length=300)


MAX_INVITEES = 50


class InviteForm(forms.Form):
    emails = forms.CharField(label=_("E-mail addresses"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Separate addresses with commas, spaces or new lines."))

    def clean_emails(self) -> list[str]:
        found = [item for item in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if item]
        bad = []
        for item in found:
            try:
                validate_email(item)
            except ValidationError:
                bad.append(item)
        if bad:
            raise ValidationError(_("Not an e-mail address: %(list)s") % {"list": ", ".join(bad[:5])})
        unique = list(dict.fromkeys(e.lower() for e in found))
        if not unique:
            raise ValidationError(_("Enter at least one e-mail address."))
        if len(unique) > MAX_INVITEES:
            raise ValidationError(_("Invite at most %(max)d people at a time.") % {"max": MAX_INVITEES})
        return unique


class PersonalRoomForm(forms.Form):
    """The personal meeting room's passcode and main settings (saved with schedule.update_meeting, as
    PATCH /v2/meetings/{pmi} saves them)."""

    SETTINGS = ("waiting_room", "host_video", "participant_video", "mute_upon_entry")

    password = forms.CharField(label=_("Passcode"), max_length=10, required=False,
                               help_text=_("Leave empty for no passcode. Letters, digits, @ - _ *."))
    waiting_room = forms.BooleanField(required=False, label=_("Waiting room"))
    host_video = forms.BooleanField(required=False, label=_("Host video on"))
    participant_video = forms.BooleanField(required=False, label=_("Participant video on"))
    mute_upon_entry = forms.BooleanField(required=False, label=_("Mute participants when they join"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "pmi_%s")
        super().__init__(*args, **kwargs)

    def clean_password(self):
        value = self.cleaned_data["password"]
        if value and not validation.PASSCODE_RE.match(value):
            raise forms.ValidationError(_("A passcode has at most 10 characters among a-z A-Z 0-9 @ - _ *."))
        return value

    @classmethod
    def initial_for(cls, room: Meeting) -> dict:
        return {"password": room.password, **{name: bool(room.settings.get(name)) for name in cls.SETTINGS}}

    @property
    def api_data(self) -> dict:
        return {"password": self.cleaned_data["password"],
                "settings": {name: self.cleaned_data[name] for name in self.SETTINGS}}
