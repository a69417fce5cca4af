"""The cache's Redis connections outlive a request: Django makes a cache backend per context (each
ASGI request, each thread), and config.cache shares one redis-py client and pool per process among
them, so requests after the first open no new connection (Django's own backend opened one per
request and dropped it)."""

import threading

from django.core.cache import caches


def connections_received() -> int:
    return caches["default"].redis_client().info("stats")["total_connections_received"]


def use_the_cache_in_a_new_context(results: list) -> None:
    cache = caches["default"]  # a new backend instance: a new thread is a new context
    cache.set("shared-client-probe", 1, 30)
    results.append((cache, cache.redis_client(), cache.get("shared-client-probe")))


def test_contexts_share_one_client_and_its_connections():
    before = connections_received()
    results: list = []
    for _ in range(8):  # one after the other, as requests come: each finds a connection free in the pool
        thread = threading.Thread(target=use_the_cache_in_a_new_context, args=(results,))
        thread.start()
        thread.join()
    assert len({id(backend) for backend, _, _ in results}) > 1  # Django did make several backends
    assert len({id(client) for _, client, _ in results}) == 1
    assert all(value == 1 for _, _, value in results)
    assert connections_received() - before <= 1  # the probe's own connection at most, none per context
