"""`seed_demo` (run by `bin/dev run`) creates the demo admin and user, each with an account, once."""

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_users_get_accounts_and_the_command_is_idempotent(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    call_command("seed_demo")
    admin = User.objects.get(email="admin@example.com")
    demo = User.objects.get(email="demo@example.com")
    assert admin.is_staff and admin.is_superuser and admin.role == "owner"
    assert not demo.is_staff and demo.role == "owner"
    assert admin.account != demo.account
    password = (tmp_path / "secrets" / "demo-demo@example.com").read_text().strip()
    assert demo.check_password(password)
    assert User.objects.count() == 2
