"""The round trip that reads a /v2 token and counts its request is a Lua script (accounts.throttling):
Redis forgets its scripts when it restarts (or on SCRIPT FLUSH), and the next request loads it again,
authenticated and counted as before."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_a_request_after_redis_forgot_the_script_is_still_counted(settings, make_user, api_client):
    settings.API_RATE_LIMITS = {"light": "100/m", "medium": "100/m", "heavy": "100/m"}
    settings.API_TOKEN_RATE_LIMITS = {"light": "3/m", "medium": "3/m", "heavy": "3/m"}
    client = api_client(make_user(), "user:read")
    assert [client.get("/v2/users/me").status_code for _ in range(2)] == [200, 200]  # the second: one round trip
    cache.redis_client().script_flush()
    assert client.get("/v2/users/me").status_code == 200  # the script loaded again: the third request
    assert client.get("/v2/users/me").status_code == 429  # and it was counted
