"""/v2 is throttled per token and per account, in Zoom's light / medium / heavy classes (GET is light,
writes are medium unless a view says otherwise), answering 429 with Retry-After and code 429."""

import pytest

from tests.conftest import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.API_RATE_LIMITS = {"light": "3/m", "medium": "2/m", "heavy": "1/m"}
    settings.API_TOKEN_RATE_LIMITS = {"light": "2/m", "medium": "2/m", "heavy": "1/m"}


def test_one_token_is_limited(limits, make_user, api_client):
    client = api_client(make_user(), "user:read")
    assert [client.get("/v2/users/me").status_code for _ in range(2)] == [200, 200]
    limited = client.get("/v2/users/me")
    assert limited.status_code == 429
    assert limited.json()["code"] == 429
    assert 1 <= int(limited["Retry-After"]) <= 60


def test_the_account_is_limited_across_its_tokens(limits, make_user, api_client):
    owner = make_user()
    colleague = make_user(account=owner.account, role="member")
    first, second = api_client(owner, "user:read"), api_client(colleague, "user:read")
    assert [first.get("/v2/users/me").status_code for _ in range(2)] == [200, 200]
    assert second.get("/v2/users/me").status_code == 200  # the account's third light request
    assert second.get("/v2/users/me").status_code == 429  # the account's fourth: over 3/m
    stranger = api_client(make_user(), "user:read")  # another account has its own budget
    assert stranger.get("/v2/users/me").status_code == 200


def test_classes_are_counted_separately(limits, make_user, api_client):
    client = api_client(make_user(), "user:read meeting:read meeting:write")
    assert [client.post("/v2/users/me/meetings", {"type": 1}, format="json").status_code
            for _ in range(3)] == [201, 201, 429]
    assert client.get("/v2/users/me").status_code == 200  # light still has room


def test_a_test_polling_with_wait_until_is_counted_at_its_pace(settings, make_user, api_client):
    """The suite holds django-ratelimit's clock during a test; wait_until moves it by the time it waits, so
    polling /v2 at most 10 times a second for 2 s stays within a 12/s budget, while a burst does not."""
    settings.API_RATE_LIMITS = settings.API_TOKEN_RATE_LIMITS = {"light": "12/s", "medium": "12/s", "heavy": "12/s"}
    client = api_client(make_user(), "user:read")
    answers = []
    wait_until(lambda: answers.append(client.get("/v2/users/me").status_code) or len(answers) >= 20)
    assert answers == [200] * 20
    burst = [client.get("/v2/users/me").status_code for _ in range(13)]  # no waiting: one window
    assert 429 in burst
