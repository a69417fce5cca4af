from django import forms
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_application_model

from webhooks import catalog


class SubscriptionForm(forms.Form):
    url = forms.URLField(label=_("Endpoint URL"), max_length=1024, assume_scheme="https",
                         help_text=_("Confer posts each event here, signed with the secret token."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=list(catalog.EVENTS.items()),
                                       widget=forms.CheckboxSelectMultiple)


class NewSubscriptionForm(SubscriptionForm):
    """A new endpoint may belong to one of the account's OAuth applications: its deliveries then carry
    the application's client id (`clientid`), as Zoom's app event subscriptions do."""

    application = forms.ModelChoiceField(
        label=_("OAuth application"), required=False, queryset=get_application_model().objects.none(),
        empty_label=_("None: the account's own endpoint"),
        help_text=_("Deliveries carry this application's client ID in the clientid header."))

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the account's applications: another account's id is refused like any invalid choice.
        field = self.fields["application"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above
        field.queryset = get_application_model().objects.filter(user__account=account).order_by("name", "pk")
