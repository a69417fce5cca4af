"""`{{ person|picture_url }}`: a user's profile picture path, or "" (templates/components/avatar.html)."""

from django import template

from accounts import pictures

register = template.Library()


@register.filter
def picture_url(person) -> str:
    return (pictures.picture_url(person) or "") if person is not None else ""
