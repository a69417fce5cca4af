"""What /v2 authentication keeps in the cache (Redis), and how it is kept true.

- **Token entries** (`oauth-token:<sha256>`): what a request needs of an access token (id, user,
  application, scope, expiry), filled from the database.
- **User rows** (`user-row:<columns>:<id>`): the user's database row as authentication loads it, so a
  request need not read PostgreSQL for its user. The key names the table's columns: a row cached
  before a migration changed them is never read after it.

Both are only ever filled with `cache.add`. A change writes a tombstone in place of the entry for
TOKEN_CACHE_SECONDS (a deleted token; a saved, updated or deleted user, at once and again at commit),
so a request that read the old row a moment before the change cannot put it back, and the next
request reads the database. Users changed through Django (save, QuerySet.update / bulk_update,
delete: accounts.models.UserQuerySet and accounts.signals) count at the next request; a change made
outside Django (SQL by hand) counts once the cached row expires, after USER_ROW_CACHE_SECONDS.

`read_at_once` reads a token's entry, its user's row, and counts the request in the /v2 rate-limit
windows (accounts.throttling) in one Redis round trip.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.cache.backends.redis import RedisSerializer
from django.db import transaction

REVOKED = "revoked"  # the tombstone
_serializer = RedisSerializer()


def token_cache_key(checksum: str) -> str:
    return f"oauth-token:{checksum}"


@functools.cache
def _user_columns() -> str:
    columns = ",".join(str(field.column) for field in get_user_model()._meta.concrete_fields)
    return hashlib.sha256(columns.encode()).hexdigest()[:12]


def user_row_key(user_id: int) -> str:
    return f"user-row:{_user_columns()}:{user_id}"


def cached(value):
    """A cache value as authentication uses it: None for a miss or a tombstone."""
    return None if value is None or value == REVOKED else value


def forget_users(user_ids) -> None:
    """Tombstones the cached rows of these users now and once the transaction commits (a request that
    read a row before the commit must not cache it)."""
    keys = [user_row_key(user_id) for user_id in user_ids]
    if not keys:
        return

    def tombstone():
        cache.set_many(dict.fromkeys(keys, REVOKED), settings.TOKEN_CACHE_SECONDS)

    tombstone()
    transaction.on_commit(tombstone)


def remember_user_row(user_id: int, row: tuple) -> None:
    cache.add(user_row_key(user_id), row, settings.USER_ROW_CACHE_SECONDS)


def read_at_once(checksum: str, user_id: int, counters: list[tuple[str, str, str]]):
    """(token entry, user row, request counts) in one round trip. The entry is None when missing and
    REVOKED when tombstoned; the row is None in both cases. `counters` only if the rate limits are
    counted in this cache (accounts.throttling)."""
    from accounts.throttling import read_and_count

    # make_key: these keys are ASCII without spaces, and checking each character cost more than the rest.
    keys = [cache.make_key(token_cache_key(checksum)), cache.make_key(user_row_key(user_id))]
    client = cache.redis_client()  # type: ignore[attr-defined]  # config.cache
    values, counts = read_and_count(client, keys, counters)
    entry, row = (_serializer.loads(raw) if raw is not None else None for raw in values)
    return entry, cached(row), counts
