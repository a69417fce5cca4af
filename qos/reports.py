"""What the dashboard, QSS and Video SDK QoS APIs say, built from the stored samples (docs/qos.md).

Units follow Zoom: bitrates "27.15 kbps", times "126 ms", loss "0.03 %", frame rates "30 fps",
resolutions "640*360". From the participant's point of view (as Zoom's dashboard): `*_input` is
what the participant sends (its microphone, camera, screen), `*_output` what it receives.

Each participant's series is one entry per minute of server time: the roll-up (`QosMinute`), with
the minutes still held as raw samples aggregated on the fly by the same query (`rollup.minute_groups`),
so live and past meetings read alike. Where the browser reported in a minute, the server's view
(`source=server`) of that minute is left out; a participant who sends nothing (a SIP phone) has
only the server's view.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from datetime import timezone as dt_timezone

from django.db.models import Avg, Count, F, Sum

from qos import rating, rollup
from qos.models import Direction, Kind, Media, QosMinute, QosSample, Source

# (direction, media, kind) -> Zoom's name of the stream, from the participant's point of view.
STREAM_NAMES = {
    (Direction.OUTGOING, Media.PRIMARY, Kind.AUDIO): "audio_input",
    (Direction.INCOMING, Media.PRIMARY, Kind.AUDIO): "audio_output",
    (Direction.OUTGOING, Media.PRIMARY, Kind.VIDEO): "video_input",
    (Direction.INCOMING, Media.PRIMARY, Kind.VIDEO): "video_output",
    (Direction.OUTGOING, Media.SECONDARY, Kind.VIDEO): "as_input",
    (Direction.INCOMING, Media.SECONDARY, Kind.VIDEO): "as_output",
}
VIDEO_STREAMS = {"video_input", "video_output", "as_input", "as_output"}
PERCENTILES = (50, 95)

# Zoom's mapping (the dashboard) reads the measured jitter; the seed's Video SDK table maps
# `jitter` to the Mind SDK's `delay` (getDelay(): the receiver's jitter-buffer delay).
DASHBOARD_JITTER, VIDEOSDK_JITTER = "jitter", "delay"


# --- units ----------------------------------------------------------------------------------------

def kbps(bits_per_second: float) -> str:
    return f"{bits_per_second / 1000:.2f} kbps"


def ms(milliseconds: float) -> str:
    return f"{round(milliseconds)} ms"


def percent(value: float) -> str:
    return f"{value:.2f} %"


def fps(frames_per_second: float) -> str:
    return f"{round(frames_per_second)} fps"


def resolution(width: int, height: int) -> str:
    return f"{width}*{height}" if width and height else ""


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile with linear interpolation between closest ranks (PostgreSQL's
    percentile_cont, numpy's default); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# --- per-minute series ------------------------------------------------------------------------------

def _key(row: dict) -> tuple:
    return (str(row["participant_id"]), row["minute"], row["source"], row["direction"], row["media"], row["kind"])


def minute_rows(conference_id, participant_ids: Iterable) -> dict[str, list[dict]]:
    """participant id -> its minute rows (dicts of rollup.KEY_FIELDS + STAT_FIELDS), oldest first."""
    ids = [str(pid) for pid in participant_ids if pid]
    if not conference_id or not ids:
        return {}
    merged: dict[tuple, dict] = {}
    rolled = QosMinute.objects.filter(conference_id=conference_id, participant_id__in=ids).values(
        *rollup.KEY_FIELDS, *rollup.STAT_FIELDS)
    for row in rolled:
        merged[_key(row)] = row
    for row in rollup.minute_groups(QosSample.objects.filter(conference_id=conference_id, participant_id__in=ids)):
        merged[_key(row)] = row  # raw samples still held: the same figures, or newer ones
    reported = {(key[0], key[1]) for key in merged if key[2] == Source.CLIENT}
    series: dict[str, list[dict]] = defaultdict(list)
    for key in sorted(merged, key=lambda k: (k[1], k[3], k[4], k[5])):
        if key[2] == Source.SERVER and (key[0], key[1]) in reported:
            continue
        series[key[0]].append(merged[key])
    return dict(series)


def _stream_name(row: dict) -> str | None:
    return STREAM_NAMES.get((row["direction"], row["media"], row["kind"]))


def stream_object(row: dict, name: str, jitter: str = DASHBOARD_JITTER) -> dict:
    obj = {"bitrate": kbps(row["bitrate_avg"]), "latency": ms(row["rtt_avg"]),
           "jitter": ms(row["jitter_avg"] if jitter == DASHBOARD_JITTER else row["delay_avg"]),
           "avg_loss": percent(row["loss_avg"]), "max_loss": percent(row["loss_max"])}
    if name in VIDEO_STREAMS:
        obj["resolution"] = resolution(row["width_max"], row["height_max"])
        obj["frame_rate"] = fps(row["frame_rate_avg"])
    return obj


def user_qos(rows: list[dict], jitter: str = DASHBOARD_JITTER) -> list[dict]:
    """Zoom's `user_qos`: one entry per minute with the participant's streams of that minute."""
    minutes: dict[datetime, dict] = {}
    for row in rows:
        name = _stream_name(row)
        if name is None:
            continue  # screen-share audio: Zoom's objects have no place for it
        entry = minutes.setdefault(row["minute"], {"date_time": _fmt(row["minute"])})
        entry[name] = stream_object(row, name, jitter)
    return [minutes[minute] for minute in sorted(minutes)]


def _weighted(rows: list[dict], field: str) -> float:
    total = sum(row["samples"] for row in rows)
    return sum(row[field] * row["samples"] for row in rows) / total if total else 0.0


def summary(rows: list[dict], jitter: str = DASHBOARD_JITTER) -> list[dict]:
    """The QSS summary per stream: min / average / max of each figure over the whole meeting, and
    percentiles (`p50_*`, `p95_*`) of its per-minute averages."""
    jitter_avg = "jitter_avg" if jitter == DASHBOARD_JITTER else "delay_avg"
    by_stream: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        name = _stream_name(row)
        if name is not None:
            by_stream[name].append(row)
    result = []
    for name in STREAM_NAMES.values():
        group = by_stream.get(name)
        if not group:
            continue
        figures = {  # Zoom's name -> (min, avg, max, the per-minute averages, unit)
            "bitrate": (min(r["bitrate_min"] for r in group), _weighted(group, "bitrate_avg"),
                        max(r["bitrate_max"] for r in group), [r["bitrate_avg"] for r in group], kbps),
            "latency": (min(r["rtt_min"] for r in group), _weighted(group, "rtt_avg"),
                        max(r["rtt_max"] for r in group), [r["rtt_avg"] for r in group], ms),
            "loss": (min(r["loss_min"] for r in group), _weighted(group, "loss_avg"),
                     max(r["loss_max"] for r in group), [r["loss_avg"] for r in group], percent),
        }
        if jitter == DASHBOARD_JITTER:
            figures["jitter"] = (min(r["jitter_min"] for r in group), _weighted(group, "jitter_avg"),
                                 max(r["jitter_max"] for r in group), [r["jitter_avg"] for r in group], ms)
        else:  # the roll-up keeps only the average delay per minute
            averages = [r[jitter_avg] for r in group]
            figures["jitter"] = (min(averages), _weighted(group, jitter_avg), max(averages), averages, ms)
        if name in VIDEO_STREAMS:
            figures["frame_rate"] = (min(r["frame_rate_min"] for r in group), _weighted(group, "frame_rate_avg"),
                                     max(r["frame_rate_max"] for r in group), [r["frame_rate_avg"] for r in group], fps)
        details = {}
        for figure, (low, average, high, per_minute, unit) in figures.items():
            details[f"min_{figure}"], details[f"avg_{figure}"], details[f"max_{figure}"] = (
                unit(low), unit(average), unit(high))
            for p in PERCENTILES:
                value = percentile(per_minute, p)
                if value is not None:  # a group always has minutes, so always a value
                    details[f"p{p}_{figure}"] = unit(value)
        if name in VIDEO_STREAMS:
            widest = max(group, key=lambda r: r["width_max"] * r["height_max"])
            details["resolution"] = resolution(widest["width_max"], widest["height_max"])
        result.append({"type": name, "details": details})
    return result


# --- quality flags -----------------------------------------------------------------------------------

def quality_of(rows: list[dict]) -> dict[str, str]:
    """{"audio_quality", "video_quality", "screen_share_quality"}: the rating (qos.rating.level) of
    the sample-weighted average loss, jitter and latency of those streams; absent without data."""
    groups: dict[str, list[dict]] = {"audio_quality": [], "video_quality": [], "screen_share_quality": []}
    for row in rows:
        if row["media"] == Media.SECONDARY:
            groups["screen_share_quality"].append(row)
        else:
            groups["audio_quality" if row["kind"] == Kind.AUDIO else "video_quality"].append(row)
    return {name: rating.level({"loss": _weighted(group, "loss_avg"), "jitter": _weighted(group, "jitter_avg"),
                                "rtt": _weighted(group, "rtt_avg")})
            for name, group in groups.items() if group}


def conference_flags(conference_ids: Iterable) -> dict[str, dict]:
    """conference id -> quality flags and `has_video`/`has_screen_share`, for a page of meetings in
    two grouped queries: from the raw samples where the conference still has them, else the roll-up."""
    ids = [str(cid) for cid in conference_ids if cid]
    if not ids:
        return {}
    fields = ("conference_id", "media", "kind")
    raw = (QosSample.objects.filter(conference_id__in=ids).values(*fields)
           .annotate(samples=Count("id"), loss_avg=Avg("loss_pct"), jitter_avg=Avg("jitter_ms"), rtt_avg=Avg("rtt_ms"))
           .order_by())
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in raw:
        groups[str(row["conference_id"])].append(row)
    rolled = (QosMinute.objects.filter(conference_id__in=[cid for cid in ids if cid not in groups]).values(*fields)
              .annotate(total=Sum("samples"), loss_sum=_product("loss_avg"), jitter_sum=_product("jitter_avg"),
                        rtt_sum=_product("rtt_avg"))
              .order_by())
    for row in rolled:
        n = row["total"] or 1
        groups[str(row["conference_id"])].append({
            "media": row["media"], "kind": row["kind"], "samples": row["total"],
            "loss_avg": row["loss_sum"] / n, "jitter_avg": row["jitter_sum"] / n, "rtt_avg": row["rtt_sum"] / n})
    return {cid: {**quality_of(rows), "has_video": any(r["kind"] == Kind.VIDEO and r["media"] == Media.PRIMARY for r in rows),
                  "has_screen_share": any(r["media"] == Media.SECONDARY for r in rows)}
            for cid, rows in groups.items()}


def _product(field: str):
    return Sum(F(field) * F("samples"))


def _fmt(value: datetime) -> str:
    return value.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
