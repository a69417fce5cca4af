"""The client's address, derived once per request, for every limiter, django-axes and the audit log.

Behind a reverse proxy every request comes from the proxy. `ClientAddressMiddleware` (first in the
chain) replaces `REMOTE_ADDR` with the real client, read from `X-Forwarded-For` **only through hops
listed in `TRUSTED_PROXIES`** (CIDRs): starting from the connecting peer, while the hop is trusted,
step one entry to the left; the first untrusted address is the client. Anything a client writes
into the header itself sits further left and is never reached. A request whose peer is not a
trusted proxy loses its `X-Forwarded-For`/`X-Forwarded-Proto` headers, so nothing later (Django's
`SECURE_PROXY_SSL_HEADER`, a limiter) can be fooled by them.

Everything else reads `request.META["REMOTE_ADDR"]` (or `client_ip(request)`).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


@lru_cache(maxsize=16)
def _networks(cidrs: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(c.strip(), strict=False) for c in cidrs if c.strip())


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    ip = _parse(address or "")
    if ip is None:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in net for net in _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ())))


def client_address(peer: str, forwarded_for: str) -> str:
    """The client behind `peer`, given the X-Forwarded-For chain the trusted hops appended."""
    if not is_trusted_proxy(peer) or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    client = peer
    while hops and is_trusted_proxy(client):
        candidate = hops.pop()
        if _parse(candidate) is None:
            break  # garbage from a client: keep the last address a trusted hop vouched for
        client = candidate
    return str(_parse(client)) if _parse(client) else peer


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if is_trusted_proxy(peer):
            meta["REMOTE_ADDR"] = client_address(peer, meta.get("HTTP_X_FORWARDED_FOR", ""))
            meta["PROXY_ADDR"] = peer
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def client_ip(request) -> str | None:
    """For django-axes (AXES_CLIENT_IP_CALLABLE) and anyone else: the derived client address."""
    return request.META.get("REMOTE_ADDR") or None

