from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationSettings


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["reminder_minutes", "cancellation_notices", "ready_notices"]
        labels = {"reminder_minutes": _("E-mail me before meetings I host start"),
                  "cancellation_notices": _("E-mail me when a meeting I host is cancelled"),
                  "ready_notices": _("E-mail me when a recording or summary of my meetings is ready")}
