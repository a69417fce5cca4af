"""The /v2 token lookup is cached (accounts.authentication), and still every change counts at the
next request: a revoked or deleted token, a deleted application, a deactivated user, a new scope."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from accounts.auth_cache import REVOKED, token_cache_key
from accounts.services import revoke_access_token
from tests.conftest import ZoomAPIClient, issue_token

pytestmark = pytest.mark.django_db
AccessToken = get_access_token_model()


@pytest.fixture
def cached_token(make_user):
    """A user, their token, and a client whose first request has put the token in the cache."""
    user = make_user()
    client = ZoomAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, 'user:read')}")
    assert client.get("/v2/users/me").status_code == 200
    token = AccessToken.objects.get(user=user)
    assert cache.get(token_cache_key(token.token_checksum))["id"] == token.pk
    return user, token, client


def test_a_revoked_token_is_refused_at_once(cached_token):
    user, token, client = cached_token
    revoke_access_token(token, actor=user)
    assert cache.get(token_cache_key(token.token_checksum)) == REVOKED
    response = client.get("/v2/users/me")
    assert response.status_code == 401 and response.json()["code"] == 124


def test_deleting_the_application_refuses_its_tokens(cached_token):
    _, token, client = cached_token
    token.application.delete()
    assert client.get("/v2/users/me").status_code == 401


def test_a_deactivated_user_is_refused_even_by_a_bulk_update(cached_token):
    user, _, client = cached_token
    type(user).objects.filter(pk=user.pk).update(is_active=False)  # no signal: the user is read every request
    assert client.get("/v2/users/me").status_code == 401


def test_a_changed_scope_counts_at_the_next_request(cached_token):
    _, token, client = cached_token
    assert client.get("/v2/users/me/meetings").status_code == 400  # no meeting:read yet (Zoom's 4711)
    token.scope = "user:read meeting:read"
    token.save()
    assert client.get("/v2/users/me/meetings").status_code == 200


def test_an_expired_cached_token_is_refused(cached_token):
    _, token, client = cached_token
    entry = cache.get(token_cache_key(token.token_checksum))
    cache.set(token_cache_key(token.token_checksum), {**entry, "expires": timezone.now() - timedelta(seconds=1)})
    AccessToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert client.get("/v2/users/me").status_code == 401


def test_a_request_that_read_the_token_before_its_revocation_cannot_cache_it_again(cached_token):
    user, token, client = cached_token
    entry = cache.get(token_cache_key(token.token_checksum))
    revoke_access_token(token, actor=user)
    # What a concurrent request that loaded the token a moment before would do: it only ever adds.
    assert cache.add(token_cache_key(token.token_checksum), entry) is False
    assert client.get("/v2/users/me").status_code == 401
