"""Creates the demo admin and demo user (idempotent) and prints how to reach the product."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_ACCOUNT = "Demo account"
DEMO_USERS = [
    # email, display name, staff; the first one owns the demo account, the others are members.
    ("admin@example.com", "Demo Admin", True),
    ("demo@example.com", "Demo User", False),
]


def demo_password(email: str) -> str:
    """A password generated once per demo user and kept with the other local secrets."""
    path = Path(settings.VAR_DIR) / "secrets" / f"demo-{email}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(12))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip()


class Command(BaseCommand):
    help = "Create the demo admin and user, and print the product's URLs."

    def handle(self, *args, **options):
        User = get_user_model()
        lines = []
        account = None
        for email, name, staff in DEMO_USERS:
            password = demo_password(email)
            user = User.objects.filter(email=email).first()
            if user is None:
                extra: dict[str, object] = {"account": account, "role": User.Role.MEMBER} if account else {}
                user = User.objects.create_user(
                    email, password, display_name=name, is_staff=staff, is_superuser=staff, **extra
                )
                if account is None:
                    user.account.name = DEMO_ACCOUNT
                    user.account.save(update_fields=["name"])
            account = account or user.account
            lines.append(f"  {'admin' if staff else 'user '}  {email}  password: {password}")
            if not staff:
                from meetings.demo import ensure_demo_meetings

                meetings = ensure_demo_meetings(user)
                lines.append(f"         meetings: {', '.join(str(m.pk) for m in meetings)}")
        root = settings.SITE_ROOT
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"{settings.SITE_NAME} is starting:",
                    f"  web        {root}/",
                    f"  admin      {root}/admin/",
                    f"  API docs   {root}/docs/api/",
                    f"  health     {root}/healthz",
                    "Demo accounts (staff set up two-factor authentication at /accounts/security/ before /admin/):",
                    *lines,
                    "",
                ]
            )
        )
