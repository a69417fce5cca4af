"""The per-username sign-in limit cannot be used to lock a chosen user out: it only applies to
addresses that have themselves failed for that username."""

import pytest

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_attacker_cannot_throttle_the_victims_sign_in(make_user, client, settings):
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "login": "3/m"}
    settings.AXES_FAILURE_LIMIT = 100  # the lockout is per (user, address) anyway; this is about the limiter
    victim = make_user()
    statuses = [client.post("/accounts/login/", {"username": victim.email, "password": "wrong"},
                            REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(6)]
    assert 200 in statuses  # many addresses, each below its own limit
    response = client.post("/accounts/login/", {"username": victim.email, "password": PASSWORD},
                           REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302


def test_an_address_that_failed_for_the_user_meets_the_username_limit(make_user, client, settings):
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "login": "3/m"}
    settings.AXES_FAILURE_LIMIT = 100
    victim = make_user()
    for n in range(3):  # spread over addresses so no single address reaches its own limit
        client.post("/accounts/login/", {"username": victim.email, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{n}")
    again = client.post("/accounts/login/", {"username": victim.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.0")
    assert again.status_code == 429
