"""GET /v2/metrics/meetings/{meetingId}/participants: who joined, with per-person quality flags."""

from django.utils import timezone


def test_participants_with_their_quality(dashboard, admin, live_meeting, raw_sample):
    call = live_meeting(admin, names=("Hana", "Bob", "Cleo"))
    hana, bob, cleo = call.people
    now = timezone.now()
    raw_sample(hana, now, kind="audio", loss_pct=0.0)
    raw_sample(bob, now, kind="audio", jitter_ms=45.0)
    raw_sample(bob, now, kind="video", rtt_ms=900.0)

    body = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants").json()
    people = {p["user_name"]: p for p in body["participants"]}
    assert body["total_records"] == 3 and list(people) == ["Hana", "Bob", "Cleo"]
    assert people["Hana"]["role"] == "host" and people["Bob"]["role"] == "attendee"
    assert people["Hana"]["audio_quality"] == "good"
    assert (people["Bob"]["audio_quality"], people["Bob"]["video_quality"]) == ("fair", "poor")
    assert "audio_quality" not in people["Cleo"]  # sent nothing yet
    assert people["Bob"]["user_id"] == bob.key and people["Hana"]["email"] == "owner@example.com"
    assert "email" not in people["Bob"]  # a guest, not of the host's account


def test_paging_and_isolation(dashboard, admin, live_meeting, make_user):
    call = live_meeting(admin, names=("A", "B", "C"))
    first = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants", {"page_size": 2}).json()
    rest = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants",
                         {"page_size": 2, "next_page_token": first["next_page_token"]}).json()
    assert [p["user_name"] for p in first["participants"] + rest["participants"]] == ["A", "B", "C"]
    theirs = live_meeting(make_user(email="y@example.org", role="owner"))
    assert dashboard.get(f"/v2/metrics/meetings/{theirs.meeting.pk}/participants").status_code == 404
