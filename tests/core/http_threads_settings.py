"""Settings of the Daphne child in test_http_threads.py: the product's own, with http_threads_urls."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.core.http_threads_urls"
