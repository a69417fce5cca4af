"""The client address behind a reverse proxy: X-Forwarded-For counts only through trusted hops.

Limits, the lockout and the audit log all key on it, so behind a proxy two clients are limited
independently, and a client talking to us directly cannot pick its address with the header.
"""

import pytest

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.20.0.5"


def fail_password(client, email, forwarded_for, times, **extra):
    for _ in range(times):
        client.post("/accounts/login/", {"username": email, "password": "wrong-password"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for, **extra)


def test_two_clients_behind_a_trusted_proxy_are_locked_out_independently(make_user, client, settings):
    settings.TRUSTED_PROXIES = ["10.20.0.0/24"]
    user = make_user()
    fail_password(client, user.email, "203.0.113.7", 5)
    locked = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429
    other = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD},
                        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 302
    failures = AuditEvent.objects.filter(action="auth.login_failed", details__email=user.email)
    assert set(failures.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_rate_limits_behind_a_trusted_proxy_count_per_client(make_user, client, settings):
    settings.TRUSTED_PROXIES = ["10.20.0.0/24"]
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "login": "3/m"}
    for n in range(3):
        client.post("/accounts/login/", {"username": f"nobody{n}@example.com", "password": "x"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.post("/accounts/login/", {"username": "nobody9@example.com", "password": "x"},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post("/accounts/login/", {"username": "nobody9@example.com", "password": "x"},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 200


def test_an_untrusted_hops_header_is_ignored(make_user, client, settings):
    settings.TRUSTED_PROXIES = ["10.20.0.0/24"]
    user = make_user()
    # A client reaching us directly rotates the header: it is still one address, and gets locked out.
    for n in range(5):
        client.post("/accounts/login/", {"username": user.email, "password": "wrong"},
                    REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert client.post("/accounts/login/", {"username": user.email, "password": PASSWORD},
                       REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
    assert set(AuditEvent.objects.filter(action="auth.login_failed").values_list("ip_address", flat=True)) == \
        {"192.0.2.50"}


def test_only_the_hops_the_trusted_proxy_appended_count(make_user, client, settings):
    """A client behind the proxy may prepend anything to the header: the proxy's own entry wins."""
    settings.TRUSTED_PROXIES = ["10.20.0.0/24"]
    user = make_user()
    client.post("/accounts/login/", {"username": user.email, "password": "wrong"},
                REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    # two trusted proxies in a row: the first untrusted address from the right is the client
    client.post("/accounts/login/", {"username": user.email, "password": "wrong"},
                REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9, 10.20.0.7")
    assert list(AuditEvent.objects.filter(action="auth.login_failed").order_by("id")
                .values_list("ip_address", flat=True)) == ["203.0.113.7", "198.51.100.9"]


def test_without_trusted_proxies_the_header_means_nothing(make_user, client, settings):
    settings.TRUSTED_PROXIES = []
    user = make_user()
    client.post("/accounts/login/", {"username": user.email, "password": "wrong"},
                REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AuditEvent.objects.get(action="auth.login_failed").ip_address == "192.0.2.50"


def test_forwarded_proto_only_counts_from_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["10.20.0.0/24"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    direct = client.get("/accounts/login/", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    proxied = client.get("/accounts/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
