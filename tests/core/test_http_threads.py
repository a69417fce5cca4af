"""HTTP in the web process (config.http_threads): Django's WSGI handler on a pool of WEB_THREADS
threads inside Daphne. A real Daphne child serves the product plus the views of http_threads_urls."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import child_process, daphne_command, free_port, process_env, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("http-threads") / "daphne.log"
    env = process_env(DJANGO_SETTINGS_MODULE="tests.core.http_threads_settings", WEB_THREADS="2",
                      ALLOWED_HOSTS="127.0.0.1")
    base = f"http://127.0.0.1:{port}"
    with child_process(daphne_command(port), env, log, lambda: requests.get(f"{base}/test-http/finished", timeout=1).ok,
                       "Daphne"):
        yield base


def test_at_most_web_threads_requests_run_at_once_and_the_rest_wait_their_turn(server):
    with ThreadPoolExecutor(6) as clients:
        answers = list(clients.map(lambda _: requests.get(f"{server}/test-http/slow", timeout=30), range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    threads = {a.json()["thread"] for a in answers}
    assert len(threads) <= 2 and all(name.startswith("http") for name in threads)
    assert max(a.json()["peak"] for a in answers) == 2


def test_every_request_finishes_so_its_database_connection_goes_back_to_the_pool(server):
    first = requests.get(f"{server}/test-http/finished", timeout=5).json()["finished"]
    second = requests.get(f"{server}/test-http/finished", timeout=5).json()["finished"]
    assert second == first + 1


def test_a_streamed_response_arrives_whole(server):
    answer = requests.get(f"{server}/test-http/stream", timeout=5)
    assert answer.status_code == 200
    assert answer.content == b"a" * 1000 + b"b" * 1000 + b"c" * 1000


def test_streamed_responses_do_not_hold_the_request_threads(server):
    """Three streams wait, past their views, for a request that opens their gate: with WEB_THREADS=2,
    that request is only answered if the streams have left the request threads."""
    with ThreadPoolExecutor(3) as clients:
        streams = [clients.submit(requests.get, f"{server}/test-http/gated-stream", timeout=30) for _ in range(3)]
        wait_until(lambda: requests.get(f"{server}/test-http/finished", timeout=5).json()["streams started"] == 3,
                   message="three streams started")
        opened = requests.get(f"{server}/test-http/open-gate", timeout=30)
        assert opened.status_code == 200 and opened.json()["thread"].startswith("http")
        assert [stream.result().content for stream in streams] == [b"started;opened"] * 3


def test_latin1_header_values_are_sent(server):
    assert requests.get(f"{server}/test-http/latin1", timeout=5).headers["X-Name"] == "café"


def test_async_to_sync_in_a_view_runs_on_the_server_event_loop(server):
    where = requests.get(f"{server}/test-http/coroutine", timeout=5).json()
    assert where["view"].startswith("http")
    assert where["coroutine"] == "MainThread"  # Daphne's loop; not a loop of its own in a new thread


def test_the_loaded_code_is_frozen_out_of_the_garbage_collector(server):
    assert requests.get(f"{server}/test-http/frozen", timeout=5).json()["frozen"] > 50_000


def test_product_pages_answer_through_the_pool_with_their_middleware(server):
    page = requests.get(f"{server}/accounts/login/", timeout=5)
    assert page.status_code == 200 and "csrftoken" in page.cookies
    assert page.headers["X-Frame-Options"] == "DENY"
    refused = requests.post(f"{server}/accounts/login/", data={"username": "a", "password": "b"}, timeout=5)
    assert refused.status_code == 403  # no CSRF token
