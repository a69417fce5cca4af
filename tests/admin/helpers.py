"""Helpers of the admin tests (no fixtures): TOTP codes, signing in with MFA, admin URLs, and which
models the admin shows."""

import base64
import time
from pathlib import Path

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.test import Client
from django.urls import get_resolver, reverse
from django_otp.oath import TOTP

PASSWORD = "a-long-test-password"
ROOT = Path(__file__).resolve().parents[2]


def totp_code(secret_b32: str, steps_ahead: int = 0) -> str:
    """The authenticator-app code for the current 30 s step (+ `steps_ahead`)."""
    totp = TOTP(base64.b32decode(secret_b32), step=30, t0=0, digits=6)
    totp.time = (int(time.time()) // 30 + steps_ahead) * 30
    return f"{totp.token():06d}"


def sign_in_with_mfa(client: Client, user) -> Client:
    """Enrols `user` in MFA and signs `client` in through the sign-in pages (password, then code)."""
    from accounts import services

    enrolment = services.start_mfa_enrolment(user)
    services.confirm_mfa_enrolment(user, totp_code(enrolment.secret))
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/accounts/login/mfa/", {"code": totp_code(enrolment.secret, 1)})
    assert response.status_code == 302, response.content[:500]
    return client


def admin_path(model, view: str = "changelist", obj=None) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=[quote(obj.pk)] if obj is not None else [])


def registered_models() -> list:
    """Every model registered on the admin site (loading the URLconf runs the admin's autodiscovery)."""
    get_resolver().url_patterns  # noqa: B018
    return sorted((model for model in apps.get_models() if admin.site.is_registered(model)),
                  key=lambda model: model._meta.label)


def our_models() -> list:
    """The models of the project's own apps (those whose code lives in this repository)."""
    return [model for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
            for model in config.get_models()]
