"""Creates the demo admin and demo user (idempotent) and prints how to reach the product."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERS = [
    # email, display name, staff
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
        for email, name, staff in DEMO_USERS:
            password = demo_password(email)
            # create_user gives each demo user an account of its own (get_or_create would not).
            if not User.objects.filter(email=email).exists():
                make = User.objects.create_superuser if staff else User.objects.create_user
                make(email=email, password=password, display_name=name)
            lines.append(f"  {'admin' if staff else 'user '}  {email}  password: {password}")
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
