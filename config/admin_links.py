"""Small links between related objects in the Django admin, for every app's admin.py.

A model is given as a class or as its "app_label.model_name" label, so an app can link to another's
admin without importing it (the engine, `mind`, imports no product app)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html


def _opts(model: type[Model] | str):
    return (apps.get_model(model) if isinstance(model, str) else model)._meta


def admin_url(model: type[Model] | str, pk) -> str | None:
    """The change page of the object `pk` of `model`, if the model has an admin."""
    opts = _opts(model)
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(pk)])
    except NoReverseMatch:
        return None


def link(obj: Model | None, text=None) -> str:
    """A link to `obj`'s change page ("—" for none)."""
    if obj is None:
        return "—"
    return label_link(type(obj), obj.pk, obj if text is None else text)


def label_link(model: type[Model] | str, pk, text) -> str:
    """A link to the change page of `model`'s object `pk` (which may no longer exist), shown as `text`."""
    url = admin_url(model, pk) if pk not in (None, "") else None
    return format_html('<a href="{}">{}</a>', url, text) if url else format_html("{}", text)


def changelist_link(model: type[Model] | str, text, **filters) -> str:
    """A link to `model`'s changelist filtered by `filters` (field lookups, e.g. meeting__id__exact=1)."""
    opts = _opts(model)
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), text)


def registered(label: str) -> bool:
    try:
        return admin.site.is_registered(apps.get_model(label))
    except (LookupError, ValueError):
        return False
