"""The schedule/edit form of the meeting pages. It produces the same data the API validates, so the
pages and /v2 share one set of rules (meetings.validation) and one service layer (meetings.actions)."""

from __future__ import annotations

import re

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
REPEATS = [("", "Does not repeat"), ("1", "Daily"), ("2", "Weekly"), ("3", "Monthly")]
WEEKDAYS = [("1", "Sun"), ("2", "Mon"), ("3", "Tue"), ("4", "Wed"), ("5", "Thu"), ("6", "Fri"), ("7", "Sat")]
RECORDING = [("none", "Do not record"), ("cloud", "Record to the cloud"), ("local", "Record locally")]


def timezone_choices():
    return [(name, name) for name in sorted(validation.timezone_names())]


class MeetingForm(forms.Form):
    topic = forms.CharField(max_length=200, required=False, widget=forms.TextInput(attrs={"placeholder": "Add title"}))
    start = forms.DateTimeField(label="Date and time", required=False, input_formats=["%Y-%m-%dT%H:%M"],
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    timezone = forms.ChoiceField(label="Time zone", choices=timezone_choices)
    duration = forms.TypedChoiceField(choices=DURATIONS, coerce=int, initial=60)
    repeat = forms.ChoiceField(choices=REPEATS, required=False)
    repeat_interval = forms.IntegerField(label="Every", min_value=1, max_value=99, initial=1, required=False)
    weekly_days = forms.MultipleChoiceField(choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple)
    end_times = forms.IntegerField(label="Occurrences", min_value=1, max_value=validation.MAX_OCCURRENCES,
                                   initial=4, required=False)
    password = forms.CharField(label="Passcode", max_length=10, required=False,
                               help_text="Leave empty for no passcode. Letters, digits, @ - _ *.")
    agenda = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    waiting_room = forms.BooleanField(required=False, label="Waiting room")
    join_before_host = forms.BooleanField(required=False, label="Allow joining before the host")
    mute_upon_entry = forms.BooleanField(required=False, label="Mute participants when they join")
    host_video = forms.BooleanField(required=False, label="Host video on")
    participant_video = forms.BooleanField(required=False, label="Participant video on")
    meeting_authentication = forms.BooleanField(required=False, label="Only signed-in users can join")
    auto_recording = forms.ChoiceField(choices=RECORDING, initial="none", label="Recording")

    SETTINGS = ("waiting_room", "join_before_host", "mute_upon_entry", "host_video", "participant_video",
                "meeting_authentication", "auto_recording")

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        from zoneinfo import ZoneInfo

        initial = {"topic": meeting.topic, "timezone": meeting.timezone, "duration": meeting.duration,
                   "password": meeting.password, "agenda": meeting.agenda}
        if meeting.start_time:
            initial["start"] = meeting.start_time.astimezone(ZoneInfo(meeting.timezone)).replace(tzinfo=None)
        if meeting.recurrence and meeting.type == Meeting.Type.RECURRING_FIXED_TIME:
            rec = meeting.recurrence
            initial.update(repeat=str(rec["type"]), repeat_interval=rec.get("repeat_interval", 1),
                           weekly_days=(rec.get("weekly_days") or "").split(","), end_times=rec.get("end_times", 1))
        for name in cls.SETTINGS:
            initial[name] = meeting.setting(name)
        return initial

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("start"):
            self.add_error("start", "Choose when the meeting starts.")
            return cleaned
        data = {
            "topic": cleaned.get("topic") or "",
            "start_time": cleaned["start"].replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S"),
            "timezone": cleaned["timezone"],
            "duration": cleaned["duration"],
            "password": cleaned.get("password") or "",
            "agenda": cleaned.get("agenda") or "",
            "type": 2,
            "settings": {name: cleaned.get(name) for name in self.SETTINGS},
        }
        if cleaned.get("repeat"):
            recurrence = {"type": int(cleaned["repeat"]), "repeat_interval": cleaned.get("repeat_interval") or 1,
                          "end_times": cleaned.get("end_times") or 1}
            if recurrence["type"] == 2:
                recurrence["weekly_days"] = ",".join(cleaned.get("weekly_days") or []) or "1"
            data.update(type=8, recurrence=recurrence)
        try:
            self.api_data = validation.validate(validation.MeetingFieldsSerializer, data)
        except serializers.ValidationError as exc:
            self.add_error(*self.field_error(exc.detail))
        return cleaned

    API_FIELDS = {"start_time": "start", "recurrence": "repeat", "settings": None}

    def field_error(self, detail) -> tuple[str | None, str]:
        """The API's first error, put on the form field it is about."""
        field, message = first_validation_error(detail)
        if field is None:
            return None, message
        name = field.split(".")[0]
        return self.API_FIELDS.get(name, name if name in self.fields else None), message


def friendly(error: ConferError) -> str:
    """An error as a sentence for a page ("start_time" + "..." -> "Start time: ...")."""
    if error.field:
        return f"{error.field.split('.')[-1].replace('_', ' ').capitalize()}: {error.bare_message}"
    return error.message


class JoinForm(forms.Form):
    code = forms.CharField(label="Meeting ID or link", max_length=300)


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
