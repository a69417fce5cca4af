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
        self.fields["timezone"].choices = [(tz, tz) for tz in services.timezone_choices()]


class CodeForm(forms.Form):
    code = forms.CharField(label="Code", max_length=32,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True}))


class ApplicationForm(forms.Form):
    name = forms.CharField(max_length=255)
    kind = forms.ChoiceField(label="Kind", choices=[(k, v[0]) for k, v in services.APPLICATION_KINDS.items()])
    redirect_uris = forms.CharField(
        label="Redirect URIs", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Space- or line-separated; needed for authorization-code applications.",
    )
