"""/v2 authentication reads a user's row from the cache (accounts.auth_cache) instead of PostgreSQL,
and every change made through Django counts at the next request: a save, a bulk update, a move to
another account (its rate-limit windows follow the user). What expires is read again and cached."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.auth_cache import REVOKED, token_cache_key, user_row_key
from accounts.authentication import ACTIVE_USER_SQL, AccessToken
from accounts.models import Account

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(make_user, api_client):
    """A user and a client whose first request has cached the token and the user's row."""
    user = make_user(first_name="Ada")
    client = api_client(user, "user:read")
    assert client.get("/v2/users/me").status_code == 200
    assert cache.get(user_row_key(user.pk)) is not None
    return user, client


def user_reads(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].startswith(ACTIVE_USER_SQL.split(" WHERE")[0])]


def test_the_next_request_does_not_read_the_user_from_the_database(signed_in):
    _, client = signed_in
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/v2/users/me").json()["first_name"] == "Ada"
    assert user_reads(queries) == []


def test_a_saved_user_counts_at_the_next_request(signed_in):
    user, client = signed_in
    user.first_name = "Grace"
    user.save()
    assert cache.get(user_row_key(user.pk)) == REVOKED
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/v2/users/me").json()["first_name"] == "Grace"
    assert len(user_reads(queries)) == 1


def test_a_bulk_update_counts_at_the_next_request(signed_in):
    user, client = signed_in
    type(user).objects.filter(pk=user.pk).update(first_name="Grace")
    assert client.get("/v2/users/me").json()["first_name"] == "Grace"


def test_a_bulk_deactivation_refuses_the_next_request(signed_in):
    user, client = signed_in
    user.is_active = False
    type(user).objects.bulk_update([user], ["is_active"])
    assert client.get("/v2/users/me").status_code == 401


def test_a_request_that_read_the_row_before_a_change_cannot_cache_it_again(signed_in):
    user, client = signed_in
    stale = cache.get(user_row_key(user.pk))
    user.first_name = "Grace"
    user.save()
    # What a concurrent request that read the row a moment before would do: it only ever adds.
    assert cache.add(user_row_key(user.pk), stale) is False
    assert client.get("/v2/users/me").json()["first_name"] == "Grace"


def test_a_user_moved_to_another_account_counts_in_its_rate_limit_windows(settings, signed_in, make_user, api_client):
    user, client = signed_in
    settings.API_RATE_LIMITS = {"light": "2/m", "medium": "2/m", "heavy": "2/m"}
    settings.API_TOKEN_RATE_LIMITS = {"light": "100/m", "medium": "100/m", "heavy": "100/m"}
    other = Account.objects.create(name="Other")
    colleague = api_client(make_user(account=other, role="member"), "user:read")
    assert [colleague.get("/v2/users/me").status_code for _ in range(2)] == [200, 200]  # the other account's budget
    user.account = other  # the first account has had one request (the fixture's): it has room
    user.save()
    assert client.get("/v2/users/me").status_code == 429  # the other account's third light request


def test_an_expired_token_entry_is_read_again_and_cached(signed_in):
    user, client = signed_in
    token = AccessToken.objects.get(user=user)
    cache.delete(token_cache_key(token.token_checksum))  # what its expiry does
    cache.delete(user_row_key(user.pk))
    assert client.get("/v2/users/me").status_code == 200
    assert cache.get(token_cache_key(token.token_checksum))["id"] == token.pk
    assert cache.get(user_row_key(user.pk)) is not None
