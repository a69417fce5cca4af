from django import template

from notifications.forms import NotificationSettingsForm
from notifications.models import NotificationSettings

register = template.Library()


@register.inclusion_tag("notifications/settings_card.html", takes_context=True)
def notification_settings_card(context):
    user = context["request"].user
    return {"form": NotificationSettingsForm(instance=NotificationSettings.of(user)), "request": context["request"]}
