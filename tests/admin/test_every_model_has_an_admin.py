"""Every model of the project's own apps has a Django admin, and every registered admin (ours and the
libraries') is audited (accounts.admin_site.AuditedAdmin)."""

from django.contrib import admin

from accounts.admin_site import AuditedAdmin
from tests.admin.helpers import our_models, registered_models


def test_every_model_of_our_apps_is_registered():
    models = our_models()
    assert {model._meta.app_label for model in models} >= {
        "accounts", "meetings", "recordings", "summaries", "qos", "whiteboards", "mind", "notifications"}
    missing = [model._meta.label for model in models if not admin.site.is_registered(model)]
    assert missing == [], "add an admin for these models"


def test_every_registered_admin_is_audited():
    not_audited = [model._meta.label for model in registered_models()
                   if not isinstance(admin.site._registry[model], AuditedAdmin)]  # noqa: SLF001
    assert not_audited == []
