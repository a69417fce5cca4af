import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from accounts import auth_cache


def new_public_id() -> str:
    """A Zoom-style user id: 22 URL-safe characters, e.g. "KDcuGIm1QgePTO8WbOqwIQ"."""
    return secrets.token_urlsafe(16)


def new_personal_meeting_id() -> int:
    """A 10-digit personal meeting id (PMI); uniqueness is enforced by the database."""
    return secrets.randbelow(9 * 10**9) + 10**9


def new_account_id() -> str:
    """A Zoom-style account id (the `account_id` of the account_credentials grant)."""
    return secrets.token_urlsafe(16)


class Account(models.Model):
    """Zoom's account: an owner and its members. Every object in the product belongs to one."""

    name = models.CharField(max_length=128)
    public_id = models.CharField("account id", max_length=32, unique=True, default=new_account_id, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Calling out to phones and SIP addresses costs money and reaches outside: off until an operator
    # turns it on, and then only to the destinations listed (`accounts.sip_dial_out`).
    sip_dial_out = models.BooleanField(
        "SIP dial-out", default=False,
        help_text="Let this account's meetings and Video SDK sessions call out to the destinations below.")
    sip_dial_out_allowed = models.TextField(
        "SIP dial-out allow-list", blank=True, default="",
        help_text="One per line: a SIP domain (sip.example.com, or *.example.com for its subdomains) or a "
                  "phone number pattern (+1555*, +44XXXXXXXXXX: X is one digit, a final * any further digits).")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from accounts.sip_dial_out import parse_rules

        try:
            parse_rules(self.sip_dial_out_allowed)
        except ValueError as exc:
            raise ValidationError({"sip_dial_out_allowed": str(exc)}) from None


class UserQuerySet(models.QuerySet):
    """Bulk writes to users (update, and bulk_update, which runs it) drop their rows cached for
    authentication (accounts.auth_cache), as saves and deletes do (accounts.signals): a deactivation
    or a new role counts at the next request."""

    def update(self, **kwargs):
        user_ids = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        auth_cache.forget_users(user_ids)
        return updated


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self):
        return UserQuerySet(self.model, using=self._db)

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        if "account" not in extra:
            # A user created without an account owns a new one (sign-up, createsuperuser).
            extra["account"] = Account.objects.create(name=extra.get("display_name") or email)
            extra.setdefault("role", User.Role.OWNER)
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)  # emails are stored lower-case; sign-in ignores case

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address."""

    class Role(models.TextChoices):
        OWNER = "owner"
        ADMIN = "admin"
        MEMBER = "member"

    username = None  # type: ignore[assignment]  # Django's documented way to drop a field; the stubs type it str
    email = models.EmailField("email address", unique=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    pmi = models.BigIntegerField("personal meeting id", unique=True, default=new_personal_meeting_id)
    display_name = models.CharField(max_length=128, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    # Bumped to end every session of the user at once (MFA removed, credentials reset): it is part
    # of the session hash Django checks on every request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # Whether the address is proven to be the user's. Self-service sign-ups start unverified (the
    # e-mailed link or a password reset proves it); users an operator creates are trusted.
    email_verified = models.BooleanField(default=True)
    # The profile picture's storage name (accounts.pictures): a new random name per upload, so its URL
    # can be cached for ever and a removed picture's URL stops working.
    picture = models.CharField(max_length=100, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # stubs require auth's UserManager (username-based)

    def __str__(self):
        return self.email

    @property
    def is_account_admin(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)

    def get_session_auth_hash(self):
        from django.utils.crypto import salted_hmac

        return salted_hmac("accounts.User.session", f"{self.password}:{self.session_epoch}",
                           algorithm="sha256").hexdigest()

    def get_full_name(self):
        return self.display_name or super().get_full_name() or self.email.split("@")[0]


class AuditEvent(models.Model):
    """A critical action (sign-in, MFA change, token issued or revoked, deletions), kept for audit.

    Written through `accounts.services.audit`; never edited afterwards (the admin is read-only).
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A copy of who acted, so the record survives the user's deletion.
    actor_email = models.CharField(max_length=254, blank=True)
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} by {self.actor_email or 'anonymous'}"


class TokenUsage(models.Model):
    """When an OAuth access token was last used (written at most once per TOKEN_LAST_USED_INTERVAL)."""

    access_token = models.OneToOneField(
        "oauth2_provider.AccessToken", on_delete=models.CASCADE, primary_key=True, related_name="usage"
    )
    last_used_at = models.DateTimeField()


class UserSettings(models.Model):
    """A user's own settings (Zoom's user settings object): the defaults of the meetings they schedule
    and of their personal meeting room. Read and changed through `accounts.user_settings`."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="meeting_settings")
    values = models.JSONField(default=dict, blank=True, help_text='{"schedule_meeting": {...}, "in_meeting": {...}, ...}')
    updated_at = models.DateTimeField(auto_now=True)
