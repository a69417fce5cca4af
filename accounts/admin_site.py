"""The Django admin's site: only OTP-verified staff get in, and everything done there is audited.

`ConferAdminSite` is the default site (accounts.admin swaps it in). Every ModelAdmin registered on it,
ours and the libraries' (django-oauth-toolkit, django-otp, axes, auth), gets `AuditedAdmin` mixed in,
so each add and change (change form, list-editable), each delete (one object or "delete selected")
and each admin action writes an `AuditEvent` through `accounts.services.audit`: who, from where,
which object, which fields changed (their labels, never their values).
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.contrib import admin
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from accounts.models import Account
from accounts.services import audit, client_ip

# At most this many object ids go into one action's audit record (the count is always exact).
AUDITED_IDS_MAX = 200


def _account_of(obj):
    """The account an object belongs to, for the audit record (None: the actor's account is used)."""
    if isinstance(obj, Account):
        return obj
    account = getattr(obj, "account", None)
    if isinstance(account, Account):
        return account
    return getattr(getattr(obj, "user", None), "account", None)


def changed_fields(message) -> dict:
    """What Django's change message says changed, without the objects' string forms (an inline row's
    str() could be a secret): {"fields": [labels], "related": [{"added"|"changed"|"deleted": name, ...}]}."""
    summary: dict = {"fields": [], "related": []}
    if not isinstance(message, list):
        return summary
    for entry in message:
        for kind, detail in entry.items():
            if "name" in detail:  # an inline (related) object
                summary["related"].append({kind: str(detail["name"]), "fields": list(detail.get("fields", []))})
            else:
                summary["fields"].extend(str(label) for label in detail.get("fields", []))
    return summary


class AuditedAdmin(admin.ModelAdmin):
    """Mixed into every registered ModelAdmin (ConferAdminSite.register): audits what the admin does."""

    def _audit(self, request, action: str, obj, **details):
        audit(request.user, action, target=obj, account=_account_of(obj), ip=client_ip(request),
              model=obj._meta.label_lower, **details)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, "admin.added", obj, **changed_fields(message))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, "admin.changed", obj, **changed_fields(message))
        return entry

    def log_deletions(self, request, queryset):
        # Called before the deletion, for the delete page and for "delete selected" alike.
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self._audit(request, "admin.deleted", obj)
        return entries

    def get_actions(self, request):
        actions = super().get_actions(request)
        for key, action in actions.items():
            if action is not None and action[1] != "delete_selected":
                func, name, description = action
                actions[key] = (_audited_action(func, name), name, description)
        return actions


def _audited_action(func, name: str):
    """An admin action that leaves one audit record: which action, on which objects, whether it raised.
    ("delete selected" is left alone: its deletions are audited one by one when they happen.)"""

    @functools.wraps(func)
    def run(modeladmin, request, queryset):
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        failed = True
        try:
            response = func(modeladmin, request, queryset)
            failed = False
            return response
        finally:
            audit(request.user, "admin.action", ip=client_ip(request), admin_action=name,
                  model=modeladmin.model._meta.label_lower, count=len(ids), ids=ids[:AUDITED_IDS_MAX],
                  **({"failed": True} if failed else {}))

    return run


def audited(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    if issubclass(admin_class, AuditedAdmin):
        return admin_class
    return type(admin_class.__name__, (AuditedAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__})


class ConferAdminSite(OTPAdminSite):
    """Django admin only for OTP-verified staff. Signing in goes through our own sign-in page
    (password, then MFA code), which has the lockout and rate limits. Every admin is audited."""

    name = "admin"

    def login(self, request, extra_context=None):
        # Signed in but not let in: say why instead of sending them round to sign in again (a loop).
        if request.user.is_authenticated:
            if request.user.is_staff and not request.user.is_verified():
                return render(request, "accounts/admin_refused.html", {"reason": "verify"}, status=403)
            if not request.user.is_staff:
                return render(request, "accounts/admin_refused.html", {"reason": "not_staff"}, status=403)
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('login')}?{urlencode({'next': target})}")

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, audited(admin_class or admin.ModelAdmin), **options)

    def audit_registered(self) -> None:
        """Mixes the audit into the admins registered before this class became the site's (the apps
        listed before `accounts` in INSTALLED_APPS)."""
        for model, model_admin in list(self._registry.items()):
            if not isinstance(model_admin, AuditedAdmin):
                self._registry[model] = audited(type(model_admin))(model, self)
