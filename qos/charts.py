"""Per-minute series of a participant for the quality page, and SVG polylines drawn on the server
(no chart library and no script: the page's CSP stays strict and the charts work without JS)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from qos.models import Direction, Kind, Media

WIDTH, HEIGHT = 320, 64

# (label, unit, how one minute's rows give the value)
METRICS = [
    ("Bitrate sent", "kbps", lambda rows: sum(r["bitrate_avg"] for r in rows if r["direction"] == Direction.OUTGOING) / 1000),
    ("Packet loss", "%", lambda rows: max((r["loss_avg"] for r in rows), default=0.0)),
    ("Jitter", "ms", lambda rows: max((r["jitter_avg"] for r in rows), default=0.0)),
    ("Round-trip time", "ms", lambda rows: max((r["rtt_avg"] for r in rows), default=0.0)),
    ("Frame rate sent", "fps", lambda rows: max((r["frame_rate_avg"] for r in rows if r["direction"] == Direction.OUTGOING
                                                 and r["kind"] == Kind.VIDEO and r["media"] == Media.PRIMARY), default=0.0)),
]


@dataclass
class Chart:
    label: str
    unit: str
    points: str  # the polyline's "x,y x,y ..."
    low: float
    high: float
    last: float
    minutes: int


def per_minute(rows: list[dict]) -> list[tuple]:
    """[(minute, [rows of that minute])], oldest first."""
    minutes: dict = defaultdict(list)
    for row in rows:
        minutes[row["minute"]].append(row)
    return sorted(minutes.items())


def polyline(values: list[float]) -> str:
    if not values:
        return ""
    top = max(values) or 1.0
    step = WIDTH / max(1, len(values) - 1)
    return " ".join(f"{i * step:.1f},{HEIGHT - 2 - (v / top) * (HEIGHT - 4):.1f}" for i, v in enumerate(values))


def charts(rows: list[dict]) -> list[Chart]:
    minutes = per_minute(rows)
    result = []
    for label, unit, value_of in METRICS:
        values = [value_of(group) for _, group in minutes]
        result.append(Chart(label, unit, polyline(values), min(values, default=0.0), max(values, default=0.0),
                            values[-1] if values else 0.0, len(values)))
    return result
