"""The notification choices on the settings page (POST only; the card is rendered by the
`notification_settings_card` tag on the profile page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.forms import NotificationSettingsForm
from notifications.models import NotificationSettings


@login_required
@require_POST
def save_settings(request):
    form = NotificationSettingsForm(request.POST, instance=NotificationSettings.of(request.user))
    if form.is_valid():
        form.save()
        messages.success(request, _("Notification settings saved."))
    else:
        messages.error(request, _("Those notification settings are not valid."))
    return redirect("profile")
