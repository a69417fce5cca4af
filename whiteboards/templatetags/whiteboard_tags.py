from django import template

from whiteboards.models import Whiteboard

register = template.Library()


@register.inclusion_tag("whiteboards/panel.html")
def whiteboard_panel(instance):
    """The past meeting's whiteboard (when one was drawn): a link to its PNG."""
    board = Whiteboard.objects.filter(instance=instance).exclude(png="").first()
    return {"board": board, "instance": instance}
