"""Audit records for what happens outside our own services: Django sign-in signals, django-axes
lockouts and django-oauth-toolkit token issuance; the token cache of accounts.authentication kept
in step with deleted and changed tokens, and its user rows with saved and deleted users."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oauth2_provider.signals import app_authorized

from accounts.auth_cache import REVOKED, forget_users, token_cache_key
from accounts.authentication import AccessToken
from accounts.models import User
from accounts.ratelimit import note_failed_sign_in
from accounts.services import audit, client_ip


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="accounts-audit-login")
def audit_login(sender, request, user, **kwargs):
    audit(user, "auth.login", target=user, ip=_ip(request))


@receiver(user_logged_out, dispatch_uid="accounts-audit-logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit(user, "auth.logout", target=user, ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="accounts-audit-login-failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    name = str((credentials or {}).get("username", ""))
    if name.startswith("oauth-client:"):
        audit(None, "oauth.client_auth_failed", ip=_ip(request), client_id=name.split(":", 1)[1])
        return
    if request is not None:
        note_failed_sign_in(request, name)
    user = User.objects.filter(email__iexact=name).select_related("account").first()
    audit(None, "auth.login_failed", target=user, account=getattr(user, "account", None), ip=_ip(request),
          email=name, stage="mfa" if sender == "accounts.signin" else "password")


@receiver(user_locked_out, dispatch_uid="accounts-audit-locked-out")
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    user = User.objects.filter(email__iexact=username or "").first()
    audit(None, "auth.locked_out", target=user, account=getattr(user, "account", None), ip=ip_address,
          email=username)


@receiver(app_authorized, dispatch_uid="accounts-audit-token-issued")
def audit_token_issued(sender, request, token, **kwargs):
    audit(token.user, "token.issued", target=token, ip=_ip(request),
          application=token.application.name if token.application else None,
          grant_type=request.POST.get("grant_type") or request.GET.get("grant_type"), scope=token.scope)


@receiver(post_delete, sender=AccessToken, dispatch_uid="accounts-token-cache-revoked")
def _token_deleted(sender, instance, **kwargs):
    # A tombstone, not a delete: a concurrent request's cache.add cannot bring the token back.
    cache.set(token_cache_key(instance.token_checksum), REVOKED, settings.TOKEN_CACHE_SECONDS)


@receiver(post_save, sender=AccessToken, dispatch_uid="accounts-token-cache-changed")
def _token_saved(sender, instance, created, **kwargs):
    if not created:
        cache.delete(token_cache_key(instance.token_checksum))


@receiver(post_save, sender=User, dispatch_uid="accounts-user-row-changed")
@receiver(post_delete, sender=User, dispatch_uid="accounts-user-row-deleted")
def _user_changed(sender, instance, created=False, **kwargs):
    if not created:  # a new user has no cached row yet
        forget_users([instance.pk])
