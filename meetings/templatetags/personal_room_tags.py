"""`{% personal_room_card %}`: the profile page's "Personal meeting room" card (link, passcode and main
settings of the user's PMI meeting, saved by meetings.views.personal_room)."""

from django import template

from meetings.actions import links
from meetings.forms import PersonalRoomForm
from meetings.models import Meeting

register = template.Library()


@register.inclusion_tag("meetings/_personal_room_card.html", takes_context=True)
def personal_room_card(context):
    room = Meeting.objects.personal(context["request"].user)
    return {"room": room, "join_url": links.join_url(room), "form": PersonalRoomForm(initial=PersonalRoomForm.initial_for(room)),
            "request": context["request"]}
