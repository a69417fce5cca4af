"""GET /v2/videosdk/sessions/{sessionId}/users/qos_summary: per user of a past session, min / avg /
max and percentiles per stream (jitter from the SDK's delay, as the seed maps it)."""

from datetime import timedelta


def test_summary_of_a_past_session(dashboard, admin, live_meeting, raw_sample):
    call = live_meeting(admin, ended=True)
    hana, bob = call.people
    start = call.instance.started_at
    raw_sample(hana, start + timedelta(seconds=5), kind="audio", delay_ms=20, bitrate_bps=30_000)
    raw_sample(hana, start + timedelta(minutes=1, seconds=5), kind="audio", delay_ms=40, bitrate_bps=50_000)

    body = dashboard.get(f"/v2/videosdk/sessions/{call.instance.conference_id}/users/qos_summary", {"page_size": 2}).json()
    users = {u["name"]: u for u in body["users"]}
    (audio,) = users["Hana"]["qos"]
    assert audio["type"] == "audio_input"
    assert (audio["details"]["min_jitter"], audio["details"]["avg_jitter"], audio["details"]["max_jitter"]) == (
        "20 ms", "30 ms", "40 ms")
    assert audio["details"]["p50_bitrate"] == "40.00 kbps"
    assert users["Bob"]["qos"] == []


def test_only_sessions_that_ended_and_are_ours(dashboard, admin, live_meeting, make_user):
    assert dashboard.get(f"/v2/videosdk/sessions/{live_meeting(admin).instance.uuid}/users/qos_summary").status_code == 404
    theirs = live_meeting(make_user(email="t@example.org", role="owner"), ended=True)
    assert dashboard.get(f"/v2/videosdk/sessions/{theirs.instance.uuid}/users/qos_summary").status_code == 404
