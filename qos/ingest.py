"""Ingest of the browser's quality samples (the `qosSample` message of the session socket; docs/qos.md).

The engine hands each sample to `MIND_QUALITY_SAMPLE_HANDLER`, which is `accept_sample` here.
`accept_sample(participant_id, conference_id, sample)` validates one client sample, writes its
streams in one bulk INSERT and updates the participant's live rating (`qos.rating`). It raises `SampleRefused` (code "bad-request") for anything impossible
or forged: values out of physical range, non-numbers, unknown media, a received stream attributed
to someone outside the participant's conference, a timestamp far from the server's clock. It raises
`SampleRefused` with code "rate-limited" when a participant sends faster than one sample per
`QOS_MIN_SAMPLE_INTERVAL` seconds (the client sends one every 5 s).
"""

from __future__ import annotations

import math
from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from config.errors import ConferError
from mind.models import Participant
from qos import rating
from qos.models import Direction, Kind, Media, QosSample, Source

# Physical bounds: a value outside them is a broken or forged client, not a bad network.
BOUNDS = {
    "bitrate": (0, 100_000_000),  # bit/s
    "rtt": (0, 60_000),  # ms
    "jitter": (0, 60_000),  # ms
    "losses": (0, 100),  # %
    "delay": (0, 60_000),  # ms
}
RATE_BOUNDS = {"video": (0, 240), "audio": (0, 384_000)}  # frames/s, samples/s
MAX_DIMENSION = 8192
MAX_INCOMING = 200  # streams one participant may receive in one sample
MAX_CLOCK_SKEW_SECONDS = 300
PROTOCOLS = {"", "none", "udp", "tcp", "tls", "relay"}


class SampleRefused(ConferError):
    def __init__(self, message: str, code: str = "bad-request"):
        super().__init__(message, code=code)


def _number(stats: dict, field: str, low: float, high: float, where: str) -> float:
    value = stats.get(field, 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SampleRefused(f"{where}.{field} must be a number")
    if not low <= value <= high:
        raise SampleRefused(f"{where}.{field} must be between {low} and {high}")
    return float(value)


def _stream(stats, kind: str, where: str) -> dict:
    if not isinstance(stats, dict):
        raise SampleRefused(f"{where} must be an object")
    row = {name: _number(stats, name, *bounds, where) for name, bounds in BOUNDS.items()}
    row["rate"] = _number(stats, "rate", *RATE_BOUNDS[kind], where)
    for side in ("width", "height"):
        value = _number(stats, side, 0, MAX_DIMENSION, where)
        if value != int(value):
            raise SampleRefused(f"{where}.{side} must be a whole number")
        row[side] = int(value)
    return row


def _client_time(sample: dict) -> datetime:
    stamp = sample.get("timestamp")
    if isinstance(stamp, bool) or not isinstance(stamp, (int, float)) or not math.isfinite(stamp):
        raise SampleRefused("timestamp must be milliseconds since the epoch")
    try:
        at = datetime.fromtimestamp(stamp / 1000, tz=dt_timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise SampleRefused("timestamp is out of range") from None
    if abs((at - timezone.now()).total_seconds()) > MAX_CLOCK_SKEW_SECONDS:
        raise SampleRefused("timestamp is too far from the server's clock")
    return at


def parse_sample(sample, conference_members: set[str]) -> tuple[datetime, str, list[dict]]:
    """(client time, transport protocol, stream rows) of a valid sample; `SampleRefused` otherwise."""
    if not isinstance(sample, dict):
        raise SampleRefused("sample must be an object")
    at = _client_time(sample)
    transport = sample.get("transport") or {}
    if not isinstance(transport, dict):
        raise SampleRefused("transport must be an object")
    protocol = transport.get("protocol", "")
    if protocol not in PROTOCOLS:
        raise SampleRefused("transport.protocol must be udp, tcp or relay")
    rows = []
    outgoing = sample.get("outgoing") or {}
    if not isinstance(outgoing, dict) or not set(outgoing) <= set(Media.values):
        raise SampleRefused("outgoing must map primary/secondary to streams")
    for media, streams in outgoing.items():
        if not isinstance(streams, dict) or not set(streams) <= set(Kind.values):
            raise SampleRefused(f"outgoing.{media} must map audio/video to statistics")
        for kind, stats in streams.items():
            rows.append({"direction": Direction.OUTGOING, "media": media, "kind": kind, "peer_id": None,
                         **_stream(stats, kind, f"outgoing.{media}.{kind}")})
    incoming = sample.get("incoming") or []
    if not isinstance(incoming, list) or len(incoming) > MAX_INCOMING:
        raise SampleRefused(f"incoming must be a list of at most {MAX_INCOMING} streams")
    for index, stats in enumerate(incoming):
        where = f"incoming[{index}]"
        if not isinstance(stats, dict):
            raise SampleRefused(f"{where} must be an object")
        media, kind, peer = stats.get("media"), stats.get("kind"), stats.get("participantId")
        if media not in Media.values or kind not in Kind.values:
            raise SampleRefused(f"{where} needs media primary/secondary and kind audio/video")
        if not isinstance(peer, str) or peer not in conference_members:
            raise SampleRefused(f"{where}.participantId is not a participant of this conference")
        rows.append({"direction": Direction.INCOMING, "media": media, "kind": kind, "peer_id": peer,
                     **_stream(stats, kind, where)})
    return at, "" if protocol == "none" else protocol, rows


def _take_rate_slot(participant_id) -> bool:
    """One sample per interval per participant, across processes (the shared cache)."""
    interval = settings.QOS_MIN_SAMPLE_INTERVAL
    return cache.add(f"qos:sample-slot:{participant_id}", 1, timeout=interval) if interval > 0 else True


def store(conference_id, participant_id, source: str, at: datetime, protocol: str, rows: list[dict]) -> None:
    """Writes the parsed streams of one sample (one INSERT) and updates the participant's rating."""
    now = timezone.now()
    QosSample.objects.bulk_create([
        QosSample(conference_id=conference_id, participant_id=participant_id, source=source, received_at=now,
                  client_at=at, direction=row["direction"], media=row["media"], kind=row["kind"],
                  peer_id=row["peer_id"], bitrate_bps=int(row["bitrate"]), rtt_ms=row["rtt"],
                  jitter_ms=row["jitter"], loss_pct=row["losses"], delay_ms=row["delay"], frame_rate=row["rate"],
                  width=row["width"], height=row["height"], protocol=protocol)
        for row in rows])
    if rows:
        rating.observe(conference_id, participant_id, rows, now)


def accept_sample(participant_id, conference_id, sample) -> int:
    """Validates and stores one client sample; returns the number of stream rows written."""
    members = {str(pk) for pk in Participant.objects.filter(conference_id=conference_id).values_list("pk", flat=True)}
    if str(participant_id) not in members:
        raise SampleRefused("the participant is gone", code="forbidden")
    at, protocol, rows = parse_sample(sample, members - {str(participant_id)})
    if not _take_rate_slot(participant_id):
        raise SampleRefused("one quality sample per participant every few seconds", code="rate-limited")
    store(conference_id, participant_id, Source.CLIENT, at, protocol, rows)
    return len(rows)
