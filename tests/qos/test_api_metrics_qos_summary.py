"""GET /v2/metrics/meetings/{meetingId}/participants/qos_summary (QSS): per participant of the
meeting that ended, min / avg / max and p50 / p95 per stream."""

from datetime import timedelta


def test_summary_of_a_past_meeting(dashboard, admin, live_meeting, raw_sample):
    call = live_meeting(admin, ended=True)
    hana, _ = call.people
    start = call.instance.started_at.replace(second=0, microsecond=0)
    for minute, (rtt, loss) in enumerate([(100, 0.0), (200, 1.0), (300, 5.0)]):
        raw_sample(hana, start + timedelta(minutes=minute, seconds=5), kind="video", rtt_ms=rtt, loss_pct=loss,
                   width=640, height=360, frame_rate=24)
    raw_sample(hana, start + timedelta(minutes=1, seconds=30), kind="video", width=1280, height=720, rtt_ms=200,
               loss_pct=1.0, frame_rate=30)

    body = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/qos_summary").json()
    assert body["page_size"] == 1 and body["next_page_token"]
    (person,) = body["participants"]
    assert person["participant_id"] == hana.key and person["email"] == "owner@example.com"
    (video,) = person["qos"]
    details = video["details"]
    assert video["type"] == "video_input"
    assert (details["min_latency"], details["avg_latency"], details["max_latency"]) == ("100 ms", "200 ms", "300 ms")
    assert (details["p50_latency"], details["p95_latency"]) == ("200 ms", "290 ms")
    assert (details["min_loss"], details["max_loss"], details["p95_loss"]) == ("0.00 %", "5.00 %", "4.60 %")
    assert details["resolution"] == "1280*720"
    assert (details["min_frame_rate"], details["max_frame_rate"]) == ("24 fps", "30 fps")


def test_a_live_meeting_has_no_summary_yet_and_other_accounts_none_at_all(dashboard, admin, live_meeting, make_user):
    call = live_meeting(admin)
    assert dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/qos_summary").status_code == 404
    theirs = live_meeting(make_user(email="w@example.org", role="owner"), ended=True)
    response = dashboard.get(f"/v2/metrics/meetings/{theirs.meeting.pk}/participants/qos_summary")
    assert response.status_code == 404 and response.json()["code"] == 3001
