"""What the accounts app does, as functions that views (and other apps) call.

Views stay thin: they parse input, call these, and render. Every function that changes something
critical leaves an audit record (`audit`).
"""

from __future__ import annotations

import base64
import io
import logging
import time
from dataclasses import dataclass
from datetime import timezone as dt_timezone
from zoneinfo import available_timezones

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    AbstractApplication,
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)

from accounts import pictures, user_settings
from accounts.models import Account, AuditEvent, TokenUsage, User
from config.errors import ConferError

log = logging.getLogger(__name__)
AccessToken = get_access_token_model()
Application = get_application_model()
Grant = get_grant_model()
RefreshToken = get_refresh_token_model()


class AccountsError(ConferError):
    """A request the accounts app refuses; `code` is a short machine-readable reason."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message, status=status, code=code)


class NotFound(AccountsError):
    def __init__(self, message: str = "Not found."):
        super().__init__("not_found", message, 404)


# --- audit ----------------------------------------------------------------------------------------

def audit(actor, action: str, target=None, account=None, **details) -> AuditEvent:
    """Record a critical action. `actor` is a User or None (anonymous); `ip=` goes to its own column.

    Other apps call this for their own critical actions, e.g.
    `audit(request.user, "meeting.deleted", target=meeting, account=meeting.account)`.
    """
    actor = actor if isinstance(actor, User) else None
    if account is None:
        account = getattr(actor, "account", None) or getattr(target, "account", None)
    ip = details.pop("ip", None)
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_email=actor.email if actor else str(details.get("email", ""))[:254],
        account=account if isinstance(account, Account) else None,
        ip_address=ip or None,
        details={key: value if isinstance(value, (str, int, float, bool, type(None), list, dict)) else str(value)
                 for key, value in details.items()},
    )
    if target is not None:
        # Never str() a token: it could print a usable secret.
        event.target_repr = (f"access token #{target.pk}" if hasattr(target, "token_checksum") else str(target))[:200]
        if isinstance(target, Model):
            event.target_type = target._meta.label_lower
            event.target_id = str(target.pk)
    event.save()
    return event


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# --- users and accounts ---------------------------------------------------------------------------

VERIFY_SALT = "accounts.verify-email"
VERIFY_MAX_AGE = 3 * 86400


def request_sign_up(email: str, password: str, display_name: str = "", ip: str | None = None) -> None:
    """Sign-up without telling the caller whether the address exists: a new address gets an
    unverified user and a verification link, a known one a note that it already has an account."""
    from django.core.mail import send_mail
    from django.urls import reverse

    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        audit(None, "user.sign_up_for_existing_address", target=existing, ip=ip, email=email)
        body = (f"Someone (perhaps you) tried to create a {settings.SITE_NAME} account with {email}, which "
                f"already has an account. Sign in at {settings.SITE_ROOT}{reverse('login')}, or reset your "
                f"password at {settings.SITE_ROOT}{reverse('password_reset')}. If it was not you, ignore this.")
        transaction.on_commit(lambda: send_mail(f"{settings.SITE_NAME}: your account", body, None, [email]))
        return
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, display_name=display_name,
                                        email_verified=False)
        audit(user, "user.signed_up", target=user, ip=ip)
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)
    link = f"{settings.SITE_ROOT}{reverse('verify-email', args=[token])}"
    body = (f"Welcome to {settings.SITE_NAME}! Open this link to confirm your e-mail address and finish "
            f"creating your account (valid for 3 days):\n\n{link}\n")
    transaction.on_commit(lambda: send_mail(f"{settings.SITE_NAME}: confirm your e-mail address", body, None,
                                            [email]))


def verify_email(token: str, ip: str | None = None) -> User:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
        user = User.objects.get(pk=data["u"], email=data["e"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        raise AccountsError("invalid_link", "This link is not valid or has expired. Sign up again.") from None
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        audit(user, "email.verified", target=user, ip=ip)
    return user


def mark_email_verified(user: User) -> None:
    """A password reset went through the mailbox: the address is proven."""
    if not user.email_verified:
        User.objects.filter(pk=user.pk).update(email_verified=True)


def timezone_choices() -> list[str]:
    return sorted(available_timezones())


def update_profile(user: User, display_name: str, tz: str) -> User:
    if tz not in available_timezones():
        raise AccountsError("invalid_timezone", f"Unknown time zone: {tz}.")
    user.display_name, user.timezone = display_name.strip(), tz
    user.save(update_fields=["display_name", "timezone"])
    return user


def find_account_user(viewer: User, user_id: str) -> User:
    """Zoom's `userId`: `me`, a user id or an email, looked up inside the viewer's account only."""
    if user_id == "me":
        return viewer
    found = User.objects.filter(Q(public_id=user_id) | Q(email__iexact=user_id), account_id=viewer.account_id,
                                is_active=True).first()
    if found is None:
        raise NotFound(f"User does not exist: {user_id}.")
    return found


CREATE_ACTIONS = ("create", "custCreate", "autoCreate")


def create_account_user(admin: User, action: str, email: str, *, first_name: str = "", last_name: str = "",
                        display_name: str = "", password: str = "", ip: str | None = None) -> User:
    """Zoom's `POST /users`: a member of the admin's account.

    - `create`: the user gets an email with a link to choose a password (then signs in);
    - `custCreate`: no email, no password: the user exists for the API (meetings scheduled for them)
      until someone resets the password;
    - `autoCreate`: with the given password, checked by the password validators.
    An address already in use anywhere is refused (409, code 1005), as is any other action.
    """
    from django.contrib.auth.password_validation import validate_password
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if action not in CREATE_ACTIONS:
        raise AccountsError("invalid_action", f"action: {action!r} is not available; use create, custCreate or "
                                              "autoCreate.", status=400)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountsError("email_in_use", f'Email "{email}" has already been used.', status=409)
    if action == "autoCreate":
        if not password:
            raise AccountsError("invalid_password", "user_info.password: autoCreate needs a password.", status=400)
        try:
            validate_password(password)
        except ValidationError as exc:
            raise AccountsError("invalid_password", f"user_info.password: {' '.join(exc.messages)}", status=400) from None
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password if action == "autoCreate" else None,
                                        account=admin.account, role=User.Role.MEMBER, first_name=first_name[:64],
                                        last_name=last_name[:64], display_name=display_name[:128],
                                        timezone=admin.timezone)
        audit(admin, "user.created", target=user, account=admin.account, ip=ip, via="api", create_action=action)
    if action == "create":
        link = settings.SITE_ROOT + reverse("password_reset_confirm", args=[
            urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
        body = (f"{admin.get_full_name()} added you to {admin.account.name} on {settings.SITE_NAME}. Open this link "
                f"to choose your password and sign in:\n\n{link}\n")
        transaction.on_commit(lambda: send_mail(f"{settings.SITE_NAME}: your new account", body, None, [email]))
    return user


def account_users(viewer: User):
    """The users of the viewer's account, oldest first (GET /users)."""
    return User.objects.filter(account_id=viewer.account_id, is_active=True).select_related("account")


ZOOM_ROLE_NAMES: dict[str, str] = {User.Role.OWNER: "Owner", User.Role.ADMIN: "Admin", User.Role.MEMBER: "Member"}
ZOOM_ROLE_IDS: dict[str, str] = {User.Role.OWNER: "0", User.Role.ADMIN: "1", User.Role.MEMBER: "2"}


def zoom_user(user: User) -> dict:
    """Zoom's "Get a user" object."""
    def iso(value):
        return value.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None

    data = {
        "id": user.public_id,
        "created_at": iso(user.date_joined),
        "user_created_at": iso(user.date_joined),
        "dept": "",
        "email": user.email,
        "first_name": user.first_name[:64],
        "last_name": user.last_name[:64],
        "display_name": user.get_full_name()[:128],
        "pmi": user.pmi,
        "use_pmi": bool(user_settings.get_setting(user, "schedule_meeting", "use_pmi_for_scheduled_meetings")),
        "personal_meeting_url": f"{settings.SITE_ROOT}/j/{user.pmi}",
        **({"pic_url": f"{settings.SITE_ROOT}{picture}"} if (picture := pictures.picture_url(user)) else {}),
        "role_name": ZOOM_ROLE_NAMES.get(user.role, "Member"),
        "role_id": ZOOM_ROLE_IDS.get(user.role, "2"),
        "timezone": user.timezone,
        "type": 2,
        "verified": 1,
        "status": "active",
        "language": "en-US",
        "account_id": user.account.public_id,
        "login_types": [100],
    }
    if user.last_login:
        data["last_login_time"] = iso(user.last_login)
    return data


# --- multi-factor authentication ------------------------------------------------------------------

@dataclass
class Enrolment:
    device: TOTPDevice
    otpauth_uri: str
    qr_code: str  # data:image/svg+xml;base64,...

    @property
    def secret(self) -> str:
        return base64.b32encode(self.device.bin_key).decode()


def has_mfa(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def qr_code_data_uri(text: str) -> str:
    """A QR code as an inline SVG data URI: rendered here, so enrolment works offline."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def start_mfa_enrolment(user: User) -> Enrolment:
    """A new, unconfirmed authenticator-app (TOTP) device; a first valid code confirms it."""
    if has_mfa(user):
        raise AccountsError("mfa_already_enabled", "Two-factor authentication is already enabled.", 409)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return Enrolment(device, device.config_url, qr_code_data_uri(device.config_url))


def pending_enrolment(user: User) -> Enrolment | None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return Enrolment(device, device.config_url, qr_code_data_uri(device.config_url)) if device else None


def new_backup_codes(user: User) -> list[str]:
    """Replaces the user's one-time backup codes with a fresh set, and returns them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.OTP_BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def confirm_mfa_enrolment(user: User, code: str, ip: str | None = None) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        raise AccountsError("no_enrolment", "Start two-factor enrolment first (POST /auth/mfa/setup).", 409)
    if not device.verify_token(normalize_code(code)):
        raise AccountsError("invalid_code", "That code is not valid. Check your authenticator app's clock.")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_backup_codes(user)
        audit(user, "mfa.enrolled", target=device, ip=ip)
    return device, codes


def regenerate_backup_codes(user: User, ip: str | None = None) -> list[str]:
    if not has_mfa(user):
        raise AccountsError("mfa_not_enabled", "Two-factor authentication is not enabled.", 409)
    with transaction.atomic():
        codes = new_backup_codes(user)
        audit(user, "mfa.backup_codes_regenerated", target=user, ip=ip)
    return codes


def disable_mfa(user: User, ip: str | None = None, request=None) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit(user, "mfa.removed", target=user, ip=ip)
        end_other_credentials(user, request, reason="mfa.removed", ip=ip)


def normalize_code(code) -> str:
    return "".join(str(code or "").split()).lower()


def verify_mfa_code(user: User, code) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code` (an authenticator code, or a one-time backup code), if any."""
    code = normalize_code(code)
    if not code:
        return None
    devices = TOTPDevice.objects.filter(user=user, confirmed=True) if code.isdigit() else \
        StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        with transaction.atomic():
            device = type(device).objects.select_for_update().get(pk=device.pk)  # throttling needs the row
            if device.verify_token(code):
                return device
    return None


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# --- OAuth applications ---------------------------------------------------------------------------

APPLICATION_KINDS = {
    # kind: (label, client type, grant type)
    "server": ("Server-to-server (client credentials / Zoom account credentials)",
               Application.CLIENT_CONFIDENTIAL, Application.GRANT_CLIENT_CREDENTIALS),
    "web": ("Web application (authorization code)", Application.CLIENT_CONFIDENTIAL,
            Application.GRANT_AUTHORIZATION_CODE),
    "native": ("Public client: single-page or mobile app (authorization code + PKCE, no secret)",
               Application.CLIENT_PUBLIC, Application.GRANT_AUTHORIZATION_CODE),
}


def create_application(user: User, name: str, kind: str, redirect_uris: str = "",
                       ip: str | None = None) -> tuple[AbstractApplication, str | None]:
    """Registers an OAuth client owned by `user` (and so by their account).

    Returns the application and its client secret, which is stored hashed: it is shown only now.
    """
    if kind not in APPLICATION_KINDS:
        raise AccountsError("invalid_kind", "Choose what kind of application this is.")
    name = name.strip()
    if not name:
        raise AccountsError("invalid_name", "Give the application a name.")
    redirect_uris = " ".join(redirect_uris.split())
    _, client_type, grant_type = APPLICATION_KINDS[kind]
    if grant_type == Application.GRANT_AUTHORIZATION_CODE and not redirect_uris:
        raise AccountsError("invalid_redirect_uris", "An authorization-code application needs a redirect URI.")
    secret = generate_client_secret() if client_type == Application.CLIENT_CONFIDENTIAL else ""
    app = Application(user=user, name=name[:255], client_type=client_type, authorization_grant_type=grant_type,
                      redirect_uris=redirect_uris, client_secret=secret, hash_client_secret=True,
                      algorithm=Application.NO_ALGORITHM)
    try:
        app.full_clean(exclude=["client_id", "client_secret", "user"])
    except ValidationError as error:
        messages = [m for field_messages in error.message_dict.values() for m in field_messages]
        raise AccountsError("invalid_application", " ".join(messages)) from None
    with transaction.atomic():
        app.save()
        audit(user, "oauth_application.created", target=app, ip=ip, client_id=app.client_id, kind=kind)
    return app, secret or None


def user_applications(user: User):
    return Application.objects.filter(user=user).order_by("name", "id")


def delete_application(user: User, application_id: int, ip: str | None = None) -> None:
    app = Application.objects.filter(user=user, pk=application_id).first()
    if app is None:
        raise NotFound("Application not found.")
    with transaction.atomic():
        audit(user, "oauth_application.deleted", target=app, ip=ip, client_id=app.client_id)
        app.delete()  # its grants and tokens go with it


# --- tokens ---------------------------------------------------------------------------------------

def active_tokens(user: User):
    """The user's unexpired access tokens (revoked ones no longer exist)."""
    return (AccessToken.objects.filter(user=user, expires__gt=timezone.now())
            .select_related("application", "usage").order_by("-created", "-id"))


def token_summary(token) -> dict:
    usage = getattr(token, "usage", None)  # None until the token is first used
    app = token.application
    return {
        "id": token.pk,
        "application": {"name": app.name, "client_id": app.client_id} if app else None,
        "scopes": token.scope.split(),
        "created": token.created.isoformat(),
        "expires": token.expires.isoformat(),
        "last_used": usage.last_used_at.isoformat() if usage else None,
    }


def revoke_token(user: User, token_id, ip: str | None = None) -> None:
    """Revokes one of the user's access tokens (and its refresh token): it stops working at once."""
    try:
        token_id = int(token_id)
    except (TypeError, ValueError):
        raise AccountsError("invalid_id", "id must be a token id from GET /auth/tokens.") from None
    token = AccessToken.objects.filter(user=user, pk=token_id).select_related("application").first()
    if token is None:
        raise NotFound("Token not found.")
    revoke_access_token(token, actor=user, ip=ip)


def revoke_access_token(token, actor: User | None, ip: str | None = None) -> None:
    with transaction.atomic():
        audit(actor, "token.revoked", target=token, account=getattr(token.user, "account", None), ip=ip,
              application=token.application.name if token.application else None)
        refresh = RefreshToken.objects.filter(access_token=token, revoked__isnull=True).first()
        if refresh is not None:
            refresh.revoke()  # revokes the access token too, and the refresh token can't mint new ones
        else:
            token.revoke()


def _revoke_oauth_tokens(**owner) -> int:
    """Revokes every OAuth credential of `user=` or `application=`: refresh tokens (kept as revoked
    tombstones), access tokens and unexchanged authorization codes. Returns how many access tokens."""
    count = AccessToken.objects.filter(**owner).count()
    for refresh in RefreshToken.objects.filter(revoked__isnull=True, **owner):
        refresh.revoke()
    AccessToken.objects.filter(**owner).delete()
    Grant.objects.filter(**owner).delete()
    return count


def end_other_credentials(user: User, request=None, reason: str = "", ip: str | None = None,
                          actor: User | None = None) -> int:
    """After a password change or reset, or MFA removal (or an operator's say-so): every API token
    of the user is revoked, every ZAK too, and every other session ends (the request's own session,
    if given and the user's, stays signed in). `actor` is who did it (default: the user).
    Returns how many tokens were revoked."""
    from django.contrib.auth import update_session_auth_hash

    with transaction.atomic():
        count = _revoke_oauth_tokens(user=user)
        # Part of the session hash and of every ZAK (accounts.zak): both stop working.
        User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
        user.refresh_from_db(fields=["session_epoch", "password"])
        audit(actor or user, "credentials.revoked", target=user, account=user.account, ip=ip, reason=reason,
              tokens=count)
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
    return count


def revoke_application_tokens(application, actor: User | None, ip: str | None = None) -> int:
    """Every token the OAuth application holds, for every user, stops working. Returns how many
    access tokens were revoked; the application itself stays (its client can get new tokens)."""
    with transaction.atomic():
        count = _revoke_oauth_tokens(application=application)
        audit(actor, "oauth_application.tokens_revoked", target=application,
              account=getattr(application.user, "account", None), ip=ip, client_id=application.client_id,
              tokens=count)
    return count


def disable_user(user: User, actor: User | None, ip: str | None = None) -> int:
    """Deactivates the user: they can no longer sign in, every session, API token and ZAK of theirs
    ends now. Returns how many API tokens were revoked."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        audit(actor, "user.disabled", target=user, account=user.account, ip=ip)
        return end_other_credentials(user, reason="user.disabled", ip=ip, actor=actor)


_TOKEN_USE_NOTED: dict[int, float] = {}  # token id -> when this process last noted its use (monotonic)


def record_token_use(token) -> None:
    """Notes that `token` was used; writes at most once per TOKEN_LAST_USED_INTERVAL per token.

    The cache decides across processes; each process first skips tokens it noted itself within the
    interval, so a busy token costs no cache round trip per request."""
    interval = settings.TOKEN_LAST_USED_INTERVAL
    now = time.monotonic()
    if now - _TOKEN_USE_NOTED.get(token.pk, -interval) < interval:
        return
    if len(_TOKEN_USE_NOTED) > 10_000:
        _TOKEN_USE_NOTED.clear()
    _TOKEN_USE_NOTED[token.pk] = now
    try:
        first_in_interval = cache.add(f"token-used:{token.pk}", 1, interval)
    except Exception:  # the cache being down must not break API calls
        log.warning("cache unavailable; not recording token use", exc_info=True)
        return
    if first_in_interval:
        TokenUsage.objects.update_or_create(access_token_id=token.pk, defaults={"last_used_at": timezone.now()})
