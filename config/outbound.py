"""The outbound-destination policy: every place the server connects to an address a user gave
(livestream/streaming RTMP URLs, SIP dial-out targets and proxies, webhook endpoints) asks here first.

A destination is refused when any address its name resolves to is loopback, link-local, private,
multicast, unspecified or otherwise reserved (the cloud metadata service at 169.254.169.254, our own
PostgreSQL/Redis/Janus on loopback, the LAN behind the server) -- unless it falls inside
`OUTBOUND_ALLOWED_NETWORKS` (CIDRs; the test suite allows its loopback and namespace receivers). The
product's own service ports (`own_service_ports()`) are refused on this machine's own addresses
(loopback, unspecified) even inside an allowed network.

Check twice: when the address is accepted (API answer 400) and again right before connecting
(`pinned_address`), because a name can resolve to a public address at first and to 127.0.0.1 later
(DNS rebinding). Where the protocol allows it the caller then connects to the checked address itself.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_PORTS = {"rtmp": 1935, "rtmps": 443, "http": 80, "https": 443, "sip": 5060, "sips": 5061}


class RefusedDestination(ValueError):
    """The destination is not allowed; str() is a message for the person who gave it."""


def _allowed_networks():
    return [ipaddress.ip_network(c, strict=False) for c in getattr(settings, "OUTBOUND_ALLOWED_NETWORKS", ()) or ()]


def own_service_ports() -> set[int]:
    """Ports of the product's own services: the database, Redis, Janus, SIP, the web server."""
    ports = set()
    for url in (settings.DATABASES["default"].get("PORT"), settings.REDIS_URL, settings.JANUS_URL,
                settings.JANUS_WS_URL, settings.JANUS_ADMIN_URL, settings.SITE_ROOT,
                *(server[key] for server in getattr(settings, "JANUS_SERVERS", ()) for key in ("ws_url", "url", "admin_url"))):
        if url in (None, ""):
            continue
        if str(url).isdigit():
            ports.add(int(url))
            continue
        try:
            port = urlsplit(str(url)).port
        except ValueError:
            port = None
        if port:
            ports.add(port)
    ports.add(int(getattr(settings, "SIP_PORT", 5060)))
    return ports


def _internal(ip) -> bool:
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_loopback or ip.is_link_local or ip.is_private or ip.is_multicast or ip.is_unspecified
            or ip.is_reserved or not ip.is_global)


def check_address(ip: str, port: int, name: str = "") -> str:
    """Refuses one resolved address; returns it when allowed."""
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    shown = name or ip
    if _internal(address):
        if not any(address in net for net in _allowed_networks()):
            raise RefusedDestination(f"{shown} is an internal address ({address}); the server does not connect there.")
        local = address.is_loopback or address.is_unspecified or \
            (address.version == 6 and address.ipv4_mapped is not None and address.ipv4_mapped.is_loopback)
        if local and port in own_service_ports():  # our own PostgreSQL, Redis, Janus, SIP, web server
            raise RefusedDestination(f"{shown}:{port} is one of this server's own service ports.")
    return str(address)


def resolve(host: str, port: int, unresolvable_ok: bool = False) -> list[str]:
    """Every address `host` resolves to, each checked; raises RefusedDestination.

    `unresolvable_ok` (when a destination is saved, not used): a name that does not resolve now is
    accepted -- nothing can be reached through it -- and is checked again at connect time."""
    host = (host or "").strip().strip("[]")
    if not host:
        raise RefusedDestination("The destination has no host.")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        if unresolvable_ok:
            return []
        raise RefusedDestination(f"{host} does not resolve ({exc}).") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    return [check_address(ip, port, host) for ip in addresses]


def check_url(url: str, schemes: tuple[str, ...] | None = None, unresolvable_ok: bool = False) -> list[str]:
    """Checks a URL's destination (scheme, host, port); returns the allowed addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedDestination("The URL is not valid.") from None
    scheme = parts.scheme.lower()
    if schemes and scheme not in schemes:
        raise RefusedDestination(f"The URL must start with {' or '.join(s + '://' for s in schemes)}.")
    return resolve(parts.hostname or "", port or DEFAULT_PORTS.get(scheme, 0), unresolvable_ok)


def pinned_url(url: str) -> str:
    """At connect time: checks the URL again and, for plain-text protocols (rtmp, http), returns it
    with the host replaced by the checked address so the connection goes exactly there. TLS URLs keep
    their name (the certificate names it) after the same check."""
    addresses = check_url(url)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("rtmp", "http"):
        return url
    ip = addresses[0]
    host = f"[{ip}]" if ":" in ip else ip
    netloc = host + (f":{parts.port}" if parts.port else "")
    if parts.username or parts.password:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    return parts._replace(netloc=netloc).geturl()


def check_sip_uri(value: str, unresolvable_ok: bool = False) -> list[str]:
    """A SIP URI (`sip:user@host[:port];params`, optionally `Name <sip:...>`): checks its host."""
    match = re.search(r"<([^<>]+)>", value)
    uri = (match.group(1) if match else value).strip()
    scheme, _, rest = uri.partition(":")
    if scheme.lower() not in ("sip", "sips") or not rest:
        raise RefusedDestination("Not a SIP URI.")
    hostport = rest.rsplit("@", 1)[-1].split(";", 1)[0].split("?", 1)[0]
    if hostport.startswith("["):
        host, _, tail = hostport[1:].partition("]")
        port = tail.lstrip(":")
    else:
        host, _, port = hostport.partition(":")
    return resolve(host, int(port) if port.isdigit() else DEFAULT_PORTS.get(scheme.lower(), 5060), unresolvable_ok)
