"""SIP addresses as the Mind API takes them: `sip:jane@example.com` or `Jane Doe <sip:jane@example.com:5060>`."""

from __future__ import annotations

import re
from typing import NamedTuple

# A display name (optionally quoted) before `<uri>`, or a bare URI. No spaces, quotes or angle
# brackets inside the URI: they would let a caller inject header syntax into the INVITE.
_NAME_AND_URI = re.compile(r'^\s*(?:"?(?P<name>[^"<>\x00-\x1f]*?)"?\s*)?<(?P<uri>[^<>\s"]+)>\s*$')
_URI = re.compile(r"^sips?:[^<>\s\"@]+(@[^<>\s\"@]+)?$", re.IGNORECASE)


class SipAddress(NamedTuple):
    display_name: str
    uri: str


def parse_address(value: str) -> SipAddress:
    """Raises ValueError unless `value` is a sip:/sips: URI, with or without a display name."""
    match = _NAME_AND_URI.match(value)
    name, uri = (match["name"] or "", match["uri"]) if match else ("", value.strip())
    if not _URI.match(uri):
        raise ValueError(f"not a SIP URI: {value!r}")
    return SipAddress(name.strip(), uri)
