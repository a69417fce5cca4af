"""The media server's own view of participants who send no samples (a SIP phone, an SDK client
that does not report, a browser whose reports stopped), from the Janus Admin API (docs/qos.md).

`collect()` runs from Celery beat every `QOS_SERVER_VIEW_SECONDS` with the embedded engine (a
remote Mind keeps its own Janus). It walks Janus's sessions and handles; the engine tags every
handle with opaque_id "mind:<conferenceId>:<participantId>" (mind.engine.rooms.OPAQUE_PREFIX), so
`handle_info` says whose it is. A publisher handle's received streams are what the participant
sends (`out`); a subscriber handle's sent streams are what it receives (`in`, with the sender from
the stream's feed display "<participantId>:<media>"). Figures per stream:

- bitrate: Janus's bytes of the last second x 8;
- loss: lost / (lost + packets) since the previous collection (Janus's RTCP context: `lost` for what
  Janus receives, `lost-by-remote` from the receiver's reports for what it sends);
- jitter: `jitter-local` (received) or `jitter-remote` (sent), in ms; RTT: the RTCP round trip, ms.

Resolution and frame rate are not in Janus's view (0). Participants whose client reported within
`QOS_SERVER_VIEW_SECONDS` x 2 are skipped: their own samples are better. For a SIP participant the
figures describe Janus's legs inside this server (the bridge), not the phone's own network: the
Janus SIP plugin keeps no RTP statistics of the phone's leg.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from mind.engine import janus_pool
from mind.engine.janus import Janus, JanusError
from mind.engine.rooms import OPAQUE_PREFIX
from qos import ingest
from qos.models import Direction, Kind, Media, QosSample, Source

logger = logging.getLogger(__name__)

COUNTERS_TTL = 600  # seconds a stream's previous counters are kept for the next loss delta


def owner_of(info: dict) -> tuple[str, str] | None:
    opaque = info.get("opaque_id") or ""
    if not opaque.startswith(OPAQUE_PREFIX):
        return None
    conference_id, _, participant_id = opaque[len(OPAQUE_PREFIX):].partition(":")
    try:
        return str(uuid.UUID(conference_id)), str(uuid.UUID(participant_id))
    except ValueError:
        return None


def _display(value: str) -> tuple[str | None, str]:
    """(participant id, media) of a VideoRoom display "<participantId>:<media>"."""
    raw_id, _, media = (value or "").rpartition(":")
    participant_id: str | None
    try:
        participant_id = str(uuid.UUID(raw_id))
    except ValueError:
        participant_id = None
    return participant_id, (media if media in Media.values else Media.PRIMARY)


def _loss(handle_id, mid: str, lost: int, packets: int) -> float:
    """Loss in % since the previous collection of this stream (cumulative the first time)."""
    key = f"qos:janus-counters:{handle_id}:{mid}"
    previous = cache.get(key)
    cache.set(key, (lost, packets), timeout=COUNTERS_TTL)
    if previous and lost >= previous[0] and packets >= previous[1]:
        lost, packets = lost - previous[0], packets - previous[1]
    total = lost + packets
    return min(100.0, 100.0 * lost / total) if total > 0 else 0.0


def rows_of(info: dict) -> list[dict]:
    """Sample rows (as qos.ingest.parse_sample makes them) of one handle's `handle_info`."""
    plugin = info.get("plugin_specific") or {}
    role = plugin.get("type")
    if role not in ("publisher", "subscriber"):
        return []
    feeds = {str(s.get("mid")): _display(s.get("feed_display", "")) for s in plugin.get("streams") or []}
    own_media = _display(plugin.get("display", ""))[1]
    rows = []
    for mid, stream in ((info.get("webrtc") or {}).get("media") or {}).items():
        kind = stream.get("type")
        if kind not in Kind.values:
            continue
        rtcp = (stream.get("rtcp") or {}).get("main") or {}
        stats = stream.get("stats") or {}
        if role == "publisher":
            counters, peer, media = stats.get("in") or {}, None, own_media
            lost, jitter, direction = rtcp.get("lost", 0), rtcp.get("jitter-local", 0), Direction.OUTGOING
        else:
            counters, (peer, media) = stats.get("out") or {}, feeds.get(str(mid), (None, Media.PRIMARY))
            lost, jitter, direction = rtcp.get("lost-by-remote", 0), rtcp.get("jitter-remote", 0), Direction.INCOMING
        packets = int(counters.get("packets") or 0)
        if packets <= 0:
            continue  # negotiated but nothing flowed
        rows.append({
            "direction": direction, "media": media, "kind": kind, "peer_id": peer,
            "bitrate": min(8.0 * float(counters.get("bytes_lastsec") or 0), ingest.BOUNDS["bitrate"][1]),
            "rtt": min(float(rtcp.get("rtt") or 0), ingest.BOUNDS["rtt"][1]),
            "jitter": min(float(jitter or 0), ingest.BOUNDS["jitter"][1]),
            "losses": _loss(info.get("handle_id"), str(mid), max(0, int(lost or 0)), packets),
            "delay": 0.0, "rate": 0.0, "width": 0, "height": 0,
        })
    return rows


def _recent_reporters(since) -> set[str]:
    return {str(pid) for pid in QosSample.objects.filter(source=Source.CLIENT, received_at__gte=since)
            .values_list("participant_id", flat=True).distinct()}


def _gather(janus: Janus, session_id: int, skip: set[str], gathered: dict[tuple[str, str], list[dict]]) -> None:
    try:
        handles = janus.admin("list_handles", session_id=session_id).get("handles", [])
    except JanusError:
        return  # the session went away meanwhile
    for handle_id in handles:
        try:
            info = janus.admin("handle_info", session_id=session_id, handle_id=handle_id).get("info", {})
        except JanusError:
            continue
        owner = owner_of(info)
        if owner is None or owner[1] in skip:
            continue
        gathered.setdefault(owner, []).extend(rows_of(info))


def collect(janus: Janus | None = None) -> int:
    """Stores one server-side sample per silent participant Janus carries; returns how many."""
    if settings.MIND_API_URL or not settings.JANUS_ADMIN_URL:
        return 0
    now = timezone.now()
    skip = _recent_reporters(now - timedelta(seconds=2 * settings.QOS_SERVER_VIEW_SECONDS))
    gathered: dict[tuple[str, str], list[dict]] = {}
    # Every server of the pool (JANUS_SERVERS) carries some of the rooms.
    for server in [janus] if janus is not None else [server.http() for server in janus_pool.servers()]:
        try:
            sessions = server.admin("list_sessions").get("sessions", [])
        except JanusError as exc:
            logger.info("qos server view: Janus %s: %s", server.admin_url, exc)
            continue
        for session_id in sessions:
            _gather(server, session_id, skip, gathered)
    stored = 0
    for (conference_id, participant_id), rows in gathered.items():
        if rows:
            ingest.store(conference_id, participant_id, Source.SERVER, now, "", rows)
            stored += 1
    logger.debug("qos server view: %d participants", stored)
    return stored
