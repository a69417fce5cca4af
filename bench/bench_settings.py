"""Settings of the web process that bench/api_load.py starts: the product's own settings, plus the
bare reference view's URL (bench/bench_urls.py). Never used by `bin/dev run` or in production.

The /v2 rate limits are raised so the load is measured, not refused; the limiter still runs (its
Redis round trips are part of every request's cost).
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
API_RATE_LIMITS = {kind: "1000000/s" for kind in ("light", "medium", "heavy")}
API_TOKEN_RATE_LIMITS = dict(API_RATE_LIMITS)
