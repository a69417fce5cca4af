"""GET /v2/metrics/meetings/{meetingId}/participants/qos: per participant, one user_qos entry per
minute with Zoom's units (input = what they send, output = what they receive); pages of 1 to 10."""

from datetime import timedelta

from django.utils import timezone


def test_per_minute_qos_with_units(dashboard, admin, live_meeting, raw_sample):
    call = live_meeting(admin)
    hana, bob = call.people
    minute = (timezone.now() - timedelta(minutes=3)).replace(second=0, microsecond=0)
    raw_sample(hana, minute + timedelta(seconds=5), kind="audio", bitrate_bps=27_000, rtt_ms=120, jitter_ms=4,
               loss_pct=0.02, frame_rate=48000, width=0, height=0)
    raw_sample(hana, minute + timedelta(seconds=35), kind="audio", bitrate_bps=27_300, rtt_ms=132, jitter_ms=6,
               loss_pct=0.04, frame_rate=48000, width=0, height=0)
    raw_sample(hana, minute + timedelta(seconds=10), direction="in", kind="video", bitrate_bps=850_000,
               width=1280, height=720, frame_rate=29.6, peer_id=bob.media_participant_id)
    raw_sample(hana, minute + timedelta(minutes=1, seconds=2), kind="audio", bitrate_bps=30_000)

    first = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/qos").json()
    assert first["page_size"] == 1 and first["total_records"] == 2 and first["next_page_token"]
    (person,) = first["participants"]
    assert person["user_name"] == "Hana" and person["user_id"] == hana.key
    one, two = person["user_qos"]
    assert one["date_time"] == minute.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert one["audio_input"] == {"bitrate": "27.15 kbps", "latency": "126 ms", "jitter": "5 ms",
                                  "avg_loss": "0.03 %", "max_loss": "0.04 %"}
    assert one["video_output"]["resolution"] == "1280*720" and one["video_output"]["frame_rate"] == "30 fps"
    assert one["video_output"]["bitrate"] == "850.00 kbps"
    assert set(two) == {"date_time", "audio_input"}

    second = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/qos",
                           {"next_page_token": first["next_page_token"]}).json()
    assert second["participants"][0]["user_name"] == "Bob" and second["participants"][0]["user_qos"] == []


def test_rolled_up_minutes_read_like_raw_ones(dashboard, admin, live_meeting, raw_sample):
    from qos import rollup
    from qos.models import QosSample

    call = live_meeting(admin, names=("Hana",), ended=True, started=timezone.now() - timedelta(hours=2))
    minute = (timezone.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    raw_sample(call.people[0], minute + timedelta(seconds=1), kind="audio", bitrate_bps=64_000)
    before = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/qos", {"type": "past"}).json()
    rollup.roll_up_between(minute, minute + timedelta(minutes=1))
    QosSample.objects.all().delete()  # as after the retention
    after = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/qos", {"type": "past"}).json()
    assert after["participants"] == before["participants"]
    assert after["participants"][0]["user_qos"][0]["audio_input"]["bitrate"] == "64.00 kbps"


def test_page_size_is_one_to_ten(dashboard, admin, live_meeting):
    call = live_meeting(admin)
    assert dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/qos", {"page_size": 11}).status_code == 400
    assert dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/qos", {"page_size": 10}).json()["page_size"] == 10
