from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks import catalog


class SubscriptionForm(forms.Form):
    url = forms.URLField(label=_("Endpoint URL"), max_length=1024, assume_scheme="https",
                         help_text=_("Confer posts each event here, signed with the secret token."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=list(catalog.EVENTS.items()),
                                       widget=forms.CheckboxSelectMultiple)
