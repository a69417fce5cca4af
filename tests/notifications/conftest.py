"""Fixtures for the notifications tests (the SMTP inbox is `smtp_inbox` of tests/conftest.py)."""

import pytest


@pytest.fixture
def host(make_user):
    return make_user(email="host@example.com", display_name="Hana Host")
