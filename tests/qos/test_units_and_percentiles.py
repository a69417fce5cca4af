"""Zoom's units in the QoS objects, and the percentile and average maths of the summaries."""

from datetime import datetime, timezone

import pytest

from qos import reports


@pytest.mark.parametrize("call, expected", [
    (lambda: reports.kbps(27150), "27.15 kbps"),
    (lambda: reports.kbps(0), "0.00 kbps"),
    (lambda: reports.kbps(1_234_567), "1234.57 kbps"),
    (lambda: reports.ms(126.4), "126 ms"),
    (lambda: reports.ms(126.6), "127 ms"),
    (lambda: reports.percent(0.03), "0.03 %"),
    (lambda: reports.percent(12.345), "12.35 %"),  # 12.345 is 12.3450000000000006 in binary
    (lambda: reports.fps(29.6), "30 fps"),
    (lambda: reports.resolution(1280, 720), "1280*720"),
    (lambda: reports.resolution(0, 0), ""),
])
def test_units(call, expected):
    assert call() == expected


def test_percentiles_interpolate_between_ranks():
    values = [15, 20, 35, 40, 50]
    assert reports.percentile(values, 0) == 15
    assert reports.percentile(values, 50) == 35
    assert reports.percentile(values, 100) == 50
    assert reports.percentile(values, 40) == pytest.approx(29.0)  # rank 1.6: 20 + 0.6 * 15
    assert reports.percentile(reversed(values), 95) == pytest.approx(48.0)  # rank 3.8: 40 + 0.8 * 10
    assert reports.percentile([7], 95) == 7
    assert reports.percentile([], 50) is None


def minute(at, samples, **stats):
    base = {"participant_id": "p", "conference_id": "c", "minute": at, "source": "client", "direction": "out",
            "media": "primary", "kind": "audio", "samples": samples, "width_max": 0, "height_max": 0}
    for figure in ("bitrate", "rtt", "jitter", "loss", "frame_rate"):
        value = stats.get(figure, 0.0)
        base.update({f"{figure}_min": value, f"{figure}_avg": value, f"{figure}_max": value})
    base["delay_avg"] = stats.get("delay", 0.0)
    return base


def test_the_summary_weights_averages_by_samples_and_takes_percentiles_of_the_minutes():
    t = datetime(2026, 1, 1, 10, 0, tzinfo=timezone.utc)
    rows = [minute(t, 12, rtt=100, loss=0.0, bitrate=30000), minute(t.replace(minute=1), 4, rtt=200, loss=4.0, bitrate=20000),
            minute(t.replace(minute=2), 4, rtt=300, loss=1.0, bitrate=40000)]
    ((item),) = reports.summary(rows)
    assert item["type"] == "audio_input"
    details = item["details"]
    assert (details["min_latency"], details["avg_latency"], details["max_latency"]) == ("100 ms", "160 ms", "300 ms")  # weighted by samples
    assert details["avg_loss"] == "1.00 %"  # (0*12 + 4*4 + 1*4) / 20
    assert details["p50_latency"] == "200 ms" and details["p95_latency"] == "290 ms"
    assert details["p95_loss"] == "3.70 %"  # rank 1.9 of [0, 1, 4]
    assert details["min_bitrate"] == "20.00 kbps" and details["max_bitrate"] == "40.00 kbps"
    assert "resolution" not in details and "avg_frame_rate" not in details  # audio


def test_the_videosdk_mapping_reads_jitter_from_the_sdk_delay():
    t = datetime(2026, 1, 1, 10, 0, tzinfo=timezone.utc)
    row = minute(t, 1, jitter=4, delay=60)
    assert reports.user_qos([row])[0]["audio_input"]["jitter"] == "4 ms"
    assert reports.user_qos([row], reports.VIDEOSDK_JITTER)[0]["audio_input"]["jitter"] == "60 ms"
