from typing import cast

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User


class SignUpForm(BaseUserCreationForm):
    """Email, name and password; saving is `services.request_sign_up` (the user gets their own account)."""

    class Meta:
        model = User
        fields = ("email", "display_name")
        labels = {"display_name": "Your name"}

    def clean_email(self):
        # Whether the address already has an account is never said here (that would let anyone probe
        # for accounts): services.request_sign_up e-mails the address either way.
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        pass  # see clean_email


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=128, required=False)
    timezone = forms.ChoiceField(label=_("Time zone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["timezone"]).choices = [(tz, tz) for tz in services.timezone_choices()]


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True}))


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, v[0]) for k, v in services.APPLICATION_KINDS.items()])
    redirect_uris = forms.CharField(
        label=_("Redirect URIs"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Space- or line-separated; needed for authorization-code applications."),
    )


class MeetingDefaultsForm(forms.Form):
    """The defaults of the user's new meetings (accounts.user_settings), grouped like the schedule form.

    Each field maps to one writable setting; saving is `user_settings.update_settings`, so the page
    and `PATCH /v2/users/{userId}/settings` accept exactly the same values."""

    require_password = forms.BooleanField(required=False, label=_("Require a passcode for new meetings"))
    waiting_room = forms.BooleanField(required=False, label=_("Waiting room"))
    host_video = forms.BooleanField(required=False, label=_("Host video on"))
    participants_video = forms.BooleanField(required=False, label=_("Participant video on"))
    join_before_host = forms.BooleanField(required=False, label=_("Allow joining before the host"))
    use_pmi_for_scheduled_meetings = forms.BooleanField(
        required=False, label=_("Use your personal meeting ID for scheduled meetings"))
    use_pmi_for_instant_meetings = forms.BooleanField(
        required=False, label=_("Use your personal meeting ID for instant meetings"))
    auto_recording = forms.ChoiceField(label=_("Recording"),
                                       choices=[("none", _("Do not record")), ("cloud", _("Record to the cloud"))])

    FIELDS = {  # form field -> (settings section, key)
        "require_password": ("schedule_meeting", "require_password_for_scheduling_new_meetings"),
        "waiting_room": ("in_meeting", "waiting_room"),
        "host_video": ("schedule_meeting", "host_video"),
        "participants_video": ("schedule_meeting", "participants_video"),
        "join_before_host": ("schedule_meeting", "join_before_host"),
        "use_pmi_for_scheduled_meetings": ("schedule_meeting", "use_pmi_for_scheduled_meetings"),
        "use_pmi_for_instant_meetings": ("schedule_meeting", "use_pmi_for_instant_meetings"),
        "auto_recording": ("recording", "auto_recording"),
    }
    GROUPS = [
        (_("Security"), ("require_password", "waiting_room")),
        (_("Video"), ("host_video", "participants_video")),
        (_("Options"), ("join_before_host", "use_pmi_for_scheduled_meetings", "use_pmi_for_instant_meetings",
                        "auto_recording")),
    ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "defaults_%s")  # unique ids beside the profile's other forms
        super().__init__(*args, **kwargs)

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    @classmethod
    def initial_from(cls, settings_object: dict) -> dict:
        return {name: settings_object[section][key] for name, (section, key) in cls.FIELDS.items()}

    def patch_body(self) -> dict:
        body: dict = {}
        for name, (section, key) in self.FIELDS.items():
            body.setdefault(section, {})[key] = self.cleaned_data[name]
        return body

    def add_refusal(self, refused) -> None:
        """Shows a service refusal (user_settings.SettingsRefused) on the field it names."""
        for name, (section, key) in self.FIELDS.items():
            if refused.field == f"{section}.{key}":
                self.add_error(name, str(refused).split(": ", 1)[-1])
                return
        self.add_error(None, str(refused))
