"""Who may call out over SIP, and to where: an account permission, off by default, with an allow-list.

Calling out (a meeting inviting a phone, a Video SDK session dialling a SIP address) reaches outside
the product and can cost money (toll fraud), so an account may do it only when an operator has set
`Account.sip_dial_out` and listed the destinations in `Account.sip_dial_out_allowed`, one per line:

- a SIP domain: `sip.example.com` (exactly that host, any port), `*.example.com` (its subdomains,
  not `example.com` itself); an IP address is a domain too;
- a phone number pattern: `+` and digits, `X` for exactly one digit, a final `*` for any further
  digits (`+1555*`, `+4420XXXXXXXX`). Numbers are compared without spaces, dots, dashes and
  parentheses, and must otherwise be `+` and digits.

A destination is a SIP URI (`sip:user@host[:port][;params]`, optionally `Name <sip:...>`) or a phone
number. A SIP URI is allowed when its host matches a listed domain, or when its host is the
operator's phone gateway (`SIP_CALLOUT_GATEWAY`) and its user part is a number that matches a listed
pattern. A phone number is allowed when it matches a listed pattern (it is then called through the
gateway).

`check(account, destination)` raises `DialOutRefused` (400, Zoom code 300 "No permission: ...") when the
account may not call there; `parse_rules(text)` validates an allow-list (ValueError with the line).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings

from config.errors import ConferError

_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NUMBER_PATTERN = re.compile(r"^\+?[0-9X]+\*?$")
_NUMBER = re.compile(r"^\+?[0-9]{2,20}$")
_NUMBER_NOISE = re.compile(r"[\s.\-()]")
_SIP_URI = re.compile(r"^sips?:(?:(?P<user>[^@;?]*)@)?(?P<host>\[[0-9a-fA-F:.]+\]|[^:;?>]+)(?::\d+)?(?:[;?].*)?$",
                      re.IGNORECASE)


class DialOutRefused(ConferError):
    # Zoom's answer for this in `PATCH /live_meetings/{id}/events`: 400, code 300, "No permission."
    status = 400
    code = 300


@dataclass(frozen=True)
class Destination:
    """A parsed destination: the SIP host (lower case, no port; "" for a bare number) and the number
    (normalised, or "" when the SIP user part is not a phone number)."""

    host: str
    number: str


def parse_rules(text: str) -> tuple[list[str], list[re.Pattern]]:
    """(domain rules, compiled number patterns) of an allow-list; ValueError names a bad line."""
    domains, numbers = [], []
    for line in (text or "").splitlines():
        rule = line.strip()
        if not rule or rule.startswith("#"):
            continue
        if rule[0] in "+0123456789" and _NUMBER_PATTERN.match(rule.upper()):
            numbers.append(_number_regex(rule.upper()))
        elif _is_domain_rule(rule.lower()):
            domains.append(rule.lower())
        else:
            raise ValueError(f"“{rule}” is neither a SIP domain (sip.example.com, *.example.com) nor a number "
                             f"pattern (+1555*, +44XXXXXXXXXX).")
    return domains, numbers


def _number_regex(pattern: str) -> re.Pattern:
    body, rest = (pattern[:-1], r"[0-9]*") if pattern.endswith("*") else (pattern, "")
    return re.compile("^" + re.escape(body).replace("X", "[0-9]") + rest + "$")


def _is_domain_rule(rule: str) -> bool:
    try:
        ipaddress.ip_address(rule.strip("[]"))
        return True
    except ValueError:
        pass
    name = rule[2:] if rule.startswith("*.") else rule
    labels = name.split(".")
    return len(labels) >= 2 and all(_DOMAIN_LABEL.match(label) for label in labels)


def normalise_number(value: str) -> str:
    """The number without formatting characters, or "" when it is not a phone number."""
    number = _NUMBER_NOISE.sub("", value or "")
    return number if _NUMBER.match(number) else ""


def parse_destination(value: str) -> Destination:
    """A SIP URI (optionally with a display name) or a phone number; ValueError when it is neither."""
    value = (value or "").strip()
    if "<" in value and value.endswith(">"):
        value = value[value.rindex("<") + 1:-1].strip()
    if value.lower().startswith(("sip:", "sips:")):
        match = _SIP_URI.match(value)
        if not match or not match.group("host"):
            raise ValueError("not a SIP URI")
        host = match.group("host").lower().strip("[]").rstrip(".")
        return Destination(host=host, number=normalise_number(match.group("user") or ""))
    number = normalise_number(value)
    if not number:
        raise ValueError("not a SIP URI or phone number")
    return Destination(host="", number=number)


def _domain_matches(rule: str, host: str) -> bool:
    if rule.startswith("*."):
        return host.endswith(rule[1:]) and len(host) > len(rule) - 1
    return host == rule.strip("[]")


def gateway_host() -> str:
    """The host of SIP_CALLOUT_GATEWAY (where phone numbers are called), lower case, or ""."""
    gateway = (getattr(settings, "SIP_CALLOUT_GATEWAY", "") or "").strip()
    if not gateway:
        return ""
    try:
        return parse_destination(gateway if gateway.lower().startswith("sip") else f"sip:{gateway}").host
    except ValueError:
        return ""


def is_allowed(account, destination: str) -> bool:
    try:
        check(account, destination)
    except DialOutRefused:
        return False
    return True


def check(account, destination: str) -> None:
    """Raises DialOutRefused unless `account` may call `destination` (see the module docstring)."""
    if account is None or not account.sip_dial_out:
        raise DialOutRefused("No permission: SIP dial-out is not enabled for this account: an administrator can enable it "
                             "and list the allowed destinations.")
    try:
        target = parse_destination(destination)
    except ValueError:
        raise DialOutRefused(f"“{destination[:200]}” is not a SIP URI or phone number.") from None
    try:
        domains, numbers = parse_rules(account.sip_dial_out_allowed)
    except ValueError:
        domains, numbers = [], []  # a list that no longer parses allows nothing
    if target.host and any(_domain_matches(rule, target.host) for rule in domains):
        return
    via_gateway = not target.host or (target.host == gateway_host() and target.host != "")
    if via_gateway and target.number and any(pattern.match(target.number) for pattern in numbers):
        return
    raise DialOutRefused(f"No permission: dial-out to “{destination[:200]}” is not allowed: it is not on this account's "
                         f"SIP dial-out allow-list.")
