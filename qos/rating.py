"""Live connection rating per participant: good / fair / poor, decided as each sample arrives.

A sample is rated on three figures of the participant's own connection:

- loss and jitter: the worst of the participant's outgoing streams (as the media server reports
  them back) and, of the streams it receives, the loss/jitter that *every* sender's stream shows
  (the best peer's): one bad sender makes everyone's incoming stream from it lossy, which is not
  the receiver's connection;
- RTT: the worst round-trip time of its streams.

Thresholds (`ENTER`) move the rating down at once. Moving back up needs the figures below
`RECOVER` times the threshold (hysteresis), so a connection that hovers at a threshold does not
flap between two ratings. The current rating lives in the shared cache (Redis), so a sample that
changes nothing costs one cache read; a change is stored in `QosRating` (which also seeds the cache
when Redis lost it) and `qos.signals.rating_changed` is sent after the commit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.core.cache import cache
from django.db import transaction

from qos.models import Direction, QosRating, Rating
from qos.signals import rating_changed

# (fair from, poor from) per figure; loss in %, jitter and RTT in ms.
ENTER = {"loss": (2.0, 8.0), "jitter": (30.0, 60.0), "rtt": (300.0, 500.0)}
RECOVER = 0.7
CACHE_SECONDS = 24 * 3600
ORDER = [Rating.GOOD, Rating.FAIR, Rating.POOR]


def connection_figures(rows: list[dict]) -> dict[str, float]:
    """{"loss", "jitter", "rtt"} of one sample's parsed stream rows (see the module docstring)."""
    outgoing = [r for r in rows if r["direction"] == Direction.OUTGOING]
    by_peer: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["direction"] == Direction.INCOMING:
            by_peer[row["peer_id"]].append(row)
    figures = {}
    for name, field in (("loss", "losses"), ("jitter", "jitter")):
        own = max((r[field] for r in outgoing), default=0.0)
        shared = min((max(r[field] for r in streams) for streams in by_peer.values()), default=0.0)
        figures[name] = max(own, shared)
    figures["rtt"] = max((r["rtt"] for r in rows), default=0.0)
    return figures


def level(figures: dict[str, float], scale: float = 1.0) -> str:
    worst = 0
    for name, thresholds in ENTER.items():
        for position, threshold in enumerate(thresholds, start=1):
            if figures[name] >= threshold * scale:
                worst = max(worst, position)
    return ORDER[worst]


def rate(figures: dict[str, float], current: str) -> str:
    """The new rating from the current one: worse at once, better only well below the thresholds."""
    plain = level(figures)
    if ORDER.index(Rating(plain)) >= ORDER.index(Rating(current)):
        return plain
    return level(figures, RECOVER)


def _cache_key(participant_id) -> str:
    return f"qos:rating:{participant_id}"


def current(participant_id) -> str:
    """The participant's rating: the cache, else the stored row, else good."""
    rating = cache.get(_cache_key(participant_id))
    if rating is None:
        row = QosRating.objects.filter(participant_id=participant_id).values_list("rating", flat=True).first()
        rating = row or Rating.GOOD
        cache.set(_cache_key(participant_id), rating, timeout=CACHE_SECONDS)
    return rating


def current_many(participant_ids: list[str]) -> dict[str, str]:
    """`current` of several participants, with one cache round trip."""
    keys = {_cache_key(pid): pid for pid in participant_ids}
    found = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    return {pid: found[pid] if pid in found else current(pid) for pid in participant_ids}


def observe(conference_id, participant_id, rows: list[dict], at: datetime, previous: str | None = None) -> str:
    """Rates one sample's rows (`previous`: the participant's current rating, if already read); on a
    change stores the rating and sends `rating_changed` on commit. Samples of one participant do not
    race: the ingest takes one per rate-limit slot."""
    if previous is None:
        previous = current(participant_id)
    rating = rate(connection_figures(rows), previous)
    if rating != previous:
        QosRating.objects.update_or_create(participant_id=participant_id, defaults={
            "conference_id": conference_id, "rating": rating, "changed_at": at})
        cache.set(_cache_key(participant_id), rating, timeout=CACHE_SECONDS)
        event = {"conference_id": str(conference_id), "participant_id": str(participant_id),
                 "rating": rating, "previous": previous, "at": at}
        transaction.on_commit(lambda: rating_changed.send(sender=QosRating, **event))
    return rating
