import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


def new_public_id() -> str:
    """A Zoom-style user id: 22 URL-safe characters, e.g. "KDcuGIm1QgePTO8WbOqwIQ"."""
    return secrets.token_urlsafe(16)


def new_personal_meeting_id() -> int:
    """A 10-digit personal meeting id (PMI); uniqueness is enforced by the database."""
    return secrets.randbelow(9 * 10**9) + 10**9


class Account(models.Model):
    """Zoom's account: an owner and its members. Every object in the product belongs to one."""

    name = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

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

    username = None
    email = models.EmailField("email address", unique=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    pmi = models.BigIntegerField("personal meeting id", unique=True, default=new_personal_meeting_id)
    display_name = models.CharField(max_length=128, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self):
        return self.email

    @property
    def is_account_admin(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)

    def get_full_name(self):
        return self.display_name or super().get_full_name() or self.email.split("@")[0]
