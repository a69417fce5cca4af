"""Ingest of the browser's quality samples (the `qosSample` message of the session socket; docs/qos.md).

The engine hands each sample to `MIND_QUALITY_SAMPLE_HANDLER`, which is `receive_sample` here (a
coroutine: the engine awaits it on the socket's event loop). It validates the sample at once, then
joins a **group commit**: samples arriving together (within QOS_BATCH_SECONDS, at most
QOS_BATCH_SIZE) are written by one worker-thread call: one Redis round trip for their rate-limit
slots, one INSERT for all their rows, the ratings of all their participants read at once. Each
sample's sender is answered only after that write committed, so an acknowledged sample is stored,
and a crash loses only samples nobody was told were taken. The conference's member ids (who may be
named as a received stream's sender) are cached in the process for a few seconds and read again
when a sample names someone not in them. `accept_sample` is the same path for one sample, from sync
code. Both raise `SampleRefused` (code "bad-request") for anything impossible
or forged: values out of physical range, non-numbers, unknown media, a received stream attributed
to someone outside the participant's conference, a timestamp far from the server's clock. It raises
`SampleRefused` with code "rate-limited" when a participant sends faster than one sample per
`QOS_MIN_SAMPLE_INTERVAL` seconds (the client sends one every 5 s).
"""

from __future__ import annotations

import asyncio
import math
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone

import redis
from channels.db import database_sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from config.errors import ConferError
from mind.models import Participant
from qos import rating
from qos.models import Direction, Kind, Media, QosClient, QosSample, Source

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


PRINTABLE_MAX = 64


def _client(sample: dict) -> dict | None:
    """The optional `client` of a sample: {device, os, version, network_type}; None when absent."""
    client = sample.get("client")
    if client is None:
        return None
    if not isinstance(client, dict):
        raise SampleRefused("client must be an object")
    found = {}
    for name in ("os", "version"):
        value = client.get(name, "")
        if not isinstance(value, str) or len(value) > PRINTABLE_MAX or not value.isprintable():
            raise SampleRefused(f"client.{name} must be text of at most {PRINTABLE_MAX} characters")
        found[name] = value
    for name, allowed in (("device", QosClient.Device.values), ("network_type", QosClient.Network.values)):
        value = client.get(name, "Web" if name == "device" else "Unknown")
        if value not in allowed:
            raise SampleRefused(f"client.{name} must be one of {', '.join(allowed)}")
        found[name] = value
    return found


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


def store(conference_id, participant_id, source: str, at: datetime, protocol: str, rows: list[dict]) -> None:
    """Writes the parsed streams of one sample (one INSERT) and updates the participant's rating."""
    _write([Parsed(str(conference_id), str(participant_id), source, at, protocol, rows)], rate_limited=False)


# --- who may be named in a sample -----------------------------------------------------------------

# Read again when a sample names someone not in them (a newcomer), so they may be kept a while.
MEMBERS_SECONDS = 30.0
_members: dict[str, tuple[float, frozenset[str]]] = {}


def _read_members(conference_id) -> frozenset[str]:
    members = frozenset(str(pk) for pk in Participant.objects.filter(conference_id=conference_id)
                        .values_list("pk", flat=True))
    _members[str(conference_id)] = (time.monotonic() + MEMBERS_SECONDS, members)
    if len(_members) > 10_000:  # ended conferences: forget the expired ones
        now = time.monotonic()
        for key in [key for key, (until, _) in _members.items() if until < now]:
            _members.pop(key, None)
    return members


def _cached_members(conference_id) -> frozenset[str] | None:
    found = _members.get(str(conference_id))
    return found[1] if found and found[0] > time.monotonic() else None


@dataclass
class Parsed:
    conference_id: str
    participant_id: str
    source: str
    at: datetime
    protocol: str
    rows: list[dict]
    client: dict | None = None
    result: int | SampleRefused = field(default=0)


def _parse(participant_id, conference_id, sample, members: frozenset[str]) -> Parsed:
    me = str(participant_id)
    if me not in members:
        raise SampleRefused("the participant is gone", code="forbidden")
    at, protocol, rows = parse_sample(sample, set(members - {me}))
    return Parsed(str(conference_id), me, Source.CLIENT, at, protocol, rows, _client(sample))


def _parse_with(members_now, refresh, participant_id, conference_id, sample) -> Parsed:
    """Parses against the cached members; on a refusal that fresher members could change (someone
    just joined), reads them again and parses once more."""
    members = members_now
    if members is not None:
        try:
            return _parse(participant_id, conference_id, sample, members)
        except SampleRefused as refused:
            if refused.code not in ("forbidden", "bad-request"):
                raise
    return _parse(participant_id, conference_id, sample, refresh())


# --- the group commit -----------------------------------------------------------------------------

_redis_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    """One client for the process (thread-safe; it takes a pooled connection per command): the slots
    of a batch go in one pipeline, which the cache API cannot say. Keys as the cache names them."""
    global _redis_client
    if _redis_client is None:
        _redis_client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)
    return _redis_client


def _write(batch: list[Parsed], rate_limited: bool = True) -> None:
    """Stores a batch: the rate-limit slots in one Redis round trip (a refused sample gets its
    SampleRefused as result), every accepted row in one INSERT, then the ratings."""
    interval = settings.QOS_MIN_SAMPLE_INTERVAL
    if rate_limited and interval > 0:
        # The slot is taken when the batch is written, a little after the sample arrived: a quarter of
        # the interval (at most 1 s) absorbs that and network jitter, so a steady sender is never refused.
        slot_ms = int(interval * 1000 - min(interval * 250, 1000))
        pipe = _redis().pipeline(transaction=False)
        for item in batch:
            pipe.set(cache.make_key(f"qos:sample-slot:{item.participant_id}"), 1, nx=True, px=slot_ms)
        for item, took in zip(batch, pipe.execute(), strict=True):
            if not took:
                item.result = SampleRefused("one quality sample per participant every few seconds",
                                            code="rate-limited")
    accepted = [item for item in batch if not isinstance(item.result, SampleRefused)]
    now = timezone.now()
    # COPY: no model instance per row (a batch holds thousands of rows), one statement.
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(COPY_SAMPLES) as copy:
        for item in accepted:
            for row in item.rows:
                copy.write_row((item.conference_id, item.participant_id, item.source, now, item.at,
                                row["direction"], row["media"], row["kind"], row["peer_id"], int(row["bitrate"]),
                                row["rtt"], row["jitter"], row["losses"], row["delay"], row["rate"], row["width"],
                                row["height"], item.protocol))
    _store_clients([item for item in accepted if item.client is not None], now)
    with_rows = [item for item in accepted if item.rows]
    previous = rating.current_many([item.participant_id for item in with_rows])
    for item in with_rows:
        previous[item.participant_id] = rating.observe(item.conference_id, item.participant_id, item.rows, now,
                                                       previous=previous[item.participant_id])
    for item in accepted:
        item.result = len(item.rows)


_known_clients: dict[str, tuple] = {}  # participant -> what this process last stored (writes on change only)


def _store_clients(items: list[Parsed], now: datetime) -> None:
    changed = {}
    for item in items:
        assert item.client is not None  # the caller's filter
        values = (item.client["device"], item.client["os"], item.client["version"], item.client["network_type"])
        if _known_clients.get(item.participant_id) != values:
            changed[item.participant_id] = (item, values)
    if not changed:
        return
    QosClient.objects.bulk_create(
        [QosClient(participant_id=pid, conference_id=item.conference_id, device=values[0], os=values[1],
                   version=values[2], network_type=values[3], updated_at=now) for pid, (item, values) in changed.items()],
        update_conflicts=True, unique_fields=["participant_id"],
        update_fields=["conference_id", "device", "os", "version", "network_type", "updated_at"])
    if len(_known_clients) > 100_000:
        _known_clients.clear()
    _known_clients.update({pid: values for pid, (_, values) in changed.items()})


COPY_SAMPLES = (
    f"COPY {QosSample._meta.db_table} (conference_id, participant_id, source, received_at, client_at, direction,"
    " media, kind, peer_id, bitrate_bps, rtt_ms, jitter_ms, loss_pct, delay_ms, frame_rate, width, height, protocol)"
    " FROM STDIN")


class GroupCommit:
    """Gathers the samples of one event loop and writes them together (see the module docstring)."""

    def __init__(self):
        self.pending: list[tuple[Parsed, asyncio.Future]] = []
        self.flusher: asyncio.Task | None = None

    async def submit(self, item: Parsed) -> int:
        future = asyncio.get_running_loop().create_future()
        self.pending.append((item, future))
        if self.flusher is None:
            self.flusher = asyncio.create_task(self._flush_soon())
        return await future

    async def _flush_soon(self) -> None:
        deadline = time.monotonic() + settings.QOS_BATCH_SECONDS
        while len(self.pending) < settings.QOS_BATCH_SIZE and time.monotonic() < deadline:
            await asyncio.sleep(min(0.005, settings.QOS_BATCH_SECONDS))
        batch, self.pending, self.flusher = self.pending, [], None
        try:
            await write_batch([item for item, _ in batch])
        except Exception as exc:  # the database or Redis failed: every sender hears it
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for item, future in batch:
            if future.done():
                continue
            if isinstance(item.result, SampleRefused):
                future.set_exception(item.result)
            else:
                future.set_result(item.result)


write_batch = database_sync_to_async(_write, thread_sensitive=False)
read_members = database_sync_to_async(_read_members, thread_sensitive=False)
_group_commits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupCommit] = weakref.WeakKeyDictionary()


_reading: dict[str, asyncio.Future] = {}


async def _members_now(conference_id) -> frozenset[str]:
    """The conference's members, read once however many samples ask at the same moment."""
    key = str(conference_id)
    pending = _reading.get(key)
    if pending is None:
        pending = _reading[key] = asyncio.ensure_future(read_members(conference_id))
        pending.add_done_callback(lambda _: _reading.pop(key, None))
    return await asyncio.shield(pending)


async def receive_sample(participant_id, conference_id, sample) -> int:
    """The engine's hook (MIND_QUALITY_SAMPLE_HANDLER): validates one client sample and returns the
    number of stream rows stored, once its group commit is written."""
    cached = _cached_members(conference_id)
    try:
        item = _parse(participant_id, conference_id, sample, cached) if cached is not None else None
    except SampleRefused:
        item = None  # perhaps someone new: read the members again below
    if item is None:
        item = _parse(participant_id, conference_id, sample, await _members_now(conference_id))
    loop = asyncio.get_running_loop()
    commit = _group_commits.get(loop)
    if commit is None:
        commit = _group_commits[loop] = GroupCommit()
    return await commit.submit(item)


def accept_sample(participant_id, conference_id, sample) -> int:
    """The same as `receive_sample`, for one sample from sync code (its own one-sample batch)."""
    item = _parse_with(_cached_members(conference_id), lambda: _read_members(conference_id),
                       participant_id, conference_id, sample)
    _write([item])
    if isinstance(item.result, SampleRefused):
        raise item.result
    return item.result
