import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_creates_demo_admin_and_user_in_one_account(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    output = capsys.readouterr().out

    admin = User.objects.get(email="admin@example.com")
    user = User.objects.get(email="demo@example.com")
    assert admin.is_staff and admin.is_superuser and admin.role == User.Role.OWNER
    assert not user.is_staff and user.role == User.Role.MEMBER
    assert admin.account == user.account
    for email in ("admin@example.com", "demo@example.com"):
        password = (tmp_path / "secrets" / f"demo-{email}").read_text().strip()
        assert f"{email}  password: {password}" in output
        assert User.objects.get(email=email).check_password(password)
    assert "/healthz" in output and "/admin/" in output


def test_running_twice_changes_nothing(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    assert capsys.readouterr().out == first
    assert User.objects.count() == 2
