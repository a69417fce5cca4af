"""SIP messages as the dial-in front end (`sip_ingress`) reads and writes them (RFC 3261, UDP only).

Only what a proxy in front of one user agent needs: the start line, headers in order (compact
forms expanded), the body; Via, URI and name-addr parsing. Anything malformed raises
`SipParseError`, and the front end drops it (a UDP sender gets no answer to garbage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

MAX_DATAGRAM = 65535
COMPACT = {"v": "Via", "f": "From", "t": "To", "i": "Call-ID", "m": "Contact", "l": "Content-Length",
           "c": "Content-Type", "k": "Supported", "s": "Subject", "e": "Content-Encoding", "o": "Event",
           "r": "Refer-To", "b": "Referred-By", "x": "Session-Expires", "u": "Allow-Events"}
_REQUEST_LINE = re.compile(r"^([A-Za-z]+) (\S+) SIP/2\.0$")
_STATUS_LINE = re.compile(r"^SIP/2\.0 ([1-6]\d\d) ?(.*)$")
_TOKEN = re.compile(r"^[A-Za-z0-9.!%*_+`'~-]+$")


class SipParseError(ValueError):
    pass


@dataclass
class SipMessage:
    method: str = ""  # a request: INVITE, ACK, ...
    uri: str = ""
    status: int = 0  # a response: 100..699
    reason: str = ""
    headers: list[list[str]] = field(default_factory=list)  # [name, value], in order
    body: bytes = b""

    @property
    def is_request(self) -> bool:
        return bool(self.method)

    # --- headers ---------------------------------------------------------------------------------

    def all(self, name: str) -> list[str]:
        lower = name.lower()
        return [value for header, value in self.headers if header.lower() == lower]

    def get(self, name: str, default: str = "") -> str:
        values = self.all(name)
        return values[0] if values else default

    def set(self, name: str, value: str) -> None:
        lower = name.lower()
        for header in self.headers:
            if header[0].lower() == lower:
                header[1] = value
                return
        self.headers.append([name, value])

    def remove(self, name: str) -> None:
        lower = name.lower()
        self.headers = [h for h in self.headers if h[0].lower() != lower]

    def vias(self) -> list[str]:
        """Every Via value, top first (a header line may carry several, comma-separated)."""
        return [part.strip() for value in self.all("Via") for part in split_commas(value)]

    def set_vias(self, vias: list[str]) -> None:
        """Replaces the Via headers, keeping their place in the message."""
        index = next((i for i, h in enumerate(self.headers) if h[0].lower() == "via"), 0)
        self.remove("Via")
        for offset, via in enumerate(vias):
            self.headers.insert(index + offset, ["Via", via])

    @property
    def call_id(self) -> str:
        return self.get("Call-ID")

    @property
    def cseq(self) -> tuple[int, str]:
        number, _, method = self.get("CSeq").strip().partition(" ")
        try:
            return int(number), method.strip().upper()
        except ValueError:
            raise SipParseError("bad CSeq") from None

    # --- bytes -----------------------------------------------------------------------------------

    def encode(self) -> bytes:
        start = f"{self.method} {self.uri} SIP/2.0" if self.is_request else f"SIP/2.0 {self.status} {self.reason}"
        lines = [start] + [f"{name}: {value}" for name, value in self.headers
                           if name.lower() != "content-length"]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


def parse(data: bytes) -> SipMessage:
    head, separator, body = data.partition(b"\r\n\r\n")
    if not separator:
        head, separator, body = data.partition(b"\n\n")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        raise SipParseError("not UTF-8") from None
    if "\x00" in text:
        raise SipParseError("NUL in headers")
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():  # keep-alive CRLFs before a message
        lines.pop(0)
    if not lines:
        raise SipParseError("empty")
    message = SipMessage()
    if match := _REQUEST_LINE.match(lines[0]):
        message.method, message.uri = match[1].upper(), match[2]
    elif match := _STATUS_LINE.match(lines[0]):
        message.status, message.reason = int(match[1]), match[2]
    else:
        raise SipParseError("bad start line")
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and message.headers:  # folded continuation line
            message.headers[-1][1] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        name = name.strip()
        if not colon or not _TOKEN.match(name):
            raise SipParseError(f"bad header line {line[:40]!r}")
        message.headers.append([COMPACT.get(name.lower(), name) if len(name) == 1 else name, value.strip()])
    length = message.get("Content-Length")
    if length:
        if not length.isdigit() or int(length) > len(body):
            raise SipParseError("bad Content-Length")
        body = body[: int(length)]
    message.body = body
    for required in ("Via", "From", "To", "Call-ID", "CSeq"):
        if not message.get(required):
            raise SipParseError(f"missing {required}")
    message.cseq  # noqa: B018  (validates it)
    return message


def split_commas(value: str) -> list[str]:
    """Splits a header value on commas outside quotes and angle brackets."""
    current: list[str]
    parts, current, quoted, angled = [], [], False, False
    for char in value:
        if char == '"':
            quoted = not quoted
        elif char == "<" and not quoted:
            angled = True
        elif char == ">" and not quoted:
            angled = False
        if char == "," and not quoted and not angled:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p for p in (part.strip() for part in parts) if p]


def params(text: str) -> dict[str, str]:
    """`;a=1;b` -> {"a": "1", "b": ""} (names lower-cased)."""
    result = {}
    for part in text.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            result[name.lower()] = value.strip()
    return result


# --- Via -----------------------------------------------------------------------------------------


@dataclass
class Via:
    transport: str
    host: str
    port: int
    params: dict[str, str]

    @property
    def branch(self) -> str:
        return self.params.get("branch", "")

    def reply_address(self) -> tuple[str, int]:
        """Where responses go (RFC 3261 18.2.2 with RFC 3581 rport)."""
        host = self.params.get("received") or self.host
        rport = self.params.get("rport", "")
        return host, int(rport) if rport.isdigit() else self.port


_VIA = re.compile(r"^SIP\s*/\s*2\.0\s*/\s*([A-Za-z]+)\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\s*(;.*)?$")


def parse_via(value: str) -> Via:
    match = _VIA.match(value.strip())
    if not match:
        raise SipParseError("bad Via")
    return Via(match[1].upper(), match[2].strip("[]"), int(match[3] or 5060), params(match[4] or ""))


# --- URIs and addresses --------------------------------------------------------------------------


@dataclass
class SipUri:
    scheme: str
    user: str  # unescaped
    host: str
    port: int | None
    params: dict[str, str]  # values unescaped


_URI = re.compile(r"^(sips?):(?:([^@;?]*)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?((?:;[^?]*)?)(?:\?.*)?$",
                  re.IGNORECASE)


def parse_uri(text: str) -> SipUri:
    match = _URI.match(text.strip())
    if not match:
        raise SipParseError("bad SIP URI")
    user = match[2] or ""
    user = unquote(user.split(":", 1)[0])  # no password part
    return SipUri(match[1].lower(), user, match[3].strip("[]").lower(), int(match[4]) if match[4] else None,
                  {k: unquote(v) for k, v in params(match[5] or "").items()})


_NAME_ADDR = re.compile(r'^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))\s*<([^>]*)>\s*(;.*)?$')


@dataclass
class Address:
    display_name: str
    uri: str
    params: dict[str, str]  # header parameters (tag, ...)


def parse_address(value: str) -> Address:
    """A From/To/Contact value: `"Name" <sip:u@h;uri-params>;tag=x` or `sip:u@h;tag=x`."""
    match = _NAME_ADDR.match(value)
    if match:
        name = match[1] if match[1] is not None else (match[2] or "")
        return Address(re.sub(r"\\(.)", r"\1", name).strip(), match[3].strip(), params(match[4] or ""))
    uri, _, rest = value.strip().partition(";")  # without <>, parameters belong to the header
    return Address("", uri.strip(), params(rest))
