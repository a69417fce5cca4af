"""The two-step sign-in: a password, then (once enrolled) an MFA code.

After the password step a user with MFA is *not* signed in: the session only remembers who is
waiting for a code, for MFA_PENDING_SECONDS. A valid authenticator or backup code completes the
sign-in and marks the session as OTP-verified (which Django admin requires). Wrong codes count as
failed sign-ins for django-axes, so guessing codes leads to the same lockout as guessing passwords.
"""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django_otp import login as otp_login

from accounts import services
from accounts.models import User

PENDING_KEY = "accounts_mfa_pending"


class Locked(services.AccountsError):
    def __init__(self):
        super().__init__("locked_out", "Too many failed attempts.", 429)


def begin(request, user: User) -> bool:
    """After a correct password: signs in, or returns True when an MFA code is still needed."""
    if services.has_mfa(user):
        request.session[PENDING_KEY] = {"user_id": user.pk, "backend": user.backend, "at": time.time()}
        return True
    complete(request, user, backend=user.backend)
    return False


def pending_user(request) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    if time.time() - pending.get("at", 0) > settings.MFA_PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True).first()


def complete(request, user: User, device=None, backend: str | None = None) -> None:
    pending = request.session.pop(PENDING_KEY, None) or {}
    auth_login(request, user, backend=backend or pending.get("backend"))
    if device is not None:
        otp_login(request, device)


def verify_pending(request, code: str) -> User:
    """Completes a pending sign-in with an MFA code, or raises AccountsError."""
    user = pending_user(request)
    if user is None:
        raise services.AccountsError("no_pending_sign_in", "Sign in with your email and password first.", 400)
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        raise Locked()
    device = services.verify_mfa_code(user, code)
    if device is None:
        # Counted by django-axes like a wrong password; at the limit its middleware answers 429.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        raise services.AccountsError("invalid_code", "That code is not valid.", 400)
    complete(request, user, device)
    return user


def needs_mfa_enrolment(user: User) -> bool:
    """Staff must use MFA: Django admin only opens to OTP-verified sessions."""
    return user.is_staff and not services.has_mfa(user)
