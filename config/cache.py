"""Django's Redis cache backend, with one redis-py client and connection pool per server and process.

Django builds a cache backend per context (`caches` is an asgiref Local): under ASGI every request
runs in a new one, so with Django's RedisCacheClient each request made its own connection pool and
opened a new Redis connection (TCP, AUTH, CLIENT SETINFO: four round trips) for its first cache call,
then dropped it. And it builds a new `redis.Redis` for every cache operation, which fills a table of
~170 response callbacks. Here the client and its pool are made once per server, options and
process, and shared by every backend instance and thread: a redis-py client is thread-safe (it takes
a connection from its pool per command), and the pool keeps connections open between requests.
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


class RedisCacheClient(DjangoRedisCacheClient):
    def get_client(self, key=None, *, write=False):
        # Django's own helpers and attributes (django-stubs does not declare these private members).
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        shared = (self._servers[index], repr(sorted(self._pool_options.items())))  # type: ignore[attr-defined]
        client = _clients.get(shared)
        if client is None:
            with _clients_lock:
                client = _clients.get(shared)
                if client is None:
                    pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
                    client = _clients[shared] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def redis_client(self):
        """The redis-py client for writes, for what the cache API cannot say (a pipeline of commands)."""
        return self._cache.get_client(write=True)
