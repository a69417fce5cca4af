"""GET /v2/metrics/meetings/{meetingId}: the live instance, or the latest past one (by number or
instance UUID); another account's meeting, a meeting not live, or one not ended is 404 (3001)."""

from django.utils import timezone


def test_live_and_past_details(dashboard, admin, live_meeting, raw_sample):
    call = live_meeting(admin, topic="Design review")
    raw_sample(call.people[0], timezone.now(), kind="video", loss_pct=0.0, width=1280, height=720)
    live = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}").json()
    assert (live["id"], live["uuid"], live["participants"]) == (call.meeting.pk, call.instance.uuid, 2)
    assert live["has_video"] is True and live["video_quality"] == "good" and "end_time" not in live

    assert dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}", {"type": "past"}).status_code == 404
    call.instance.ended_at = timezone.now()
    call.instance.save()
    by_number = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}", {"type": "past"}).json()
    by_uuid = dashboard.get(f"/v2/metrics/meetings/{call.instance.uuid}", {"type": "past"}).json()
    assert by_number == by_uuid and by_number["end_time"]
    response = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}")
    assert response.status_code == 404 and response.json()["code"] == 3001  # no longer live


def test_another_accounts_meeting_is_not_found(dashboard, make_user, live_meeting):
    theirs = live_meeting(make_user(email="x@example.org", role="owner"))
    response = dashboard.get(f"/v2/metrics/meetings/{theirs.meeting.pk}")
    assert response.status_code == 404 and response.json()["code"] == 3001
    assert dashboard.get(f"/v2/metrics/meetings/{theirs.instance.uuid}").status_code == 404


def test_bad_ids_and_types_are_400(dashboard, admin, live_meeting):
    call = live_meeting(admin)
    assert dashboard.get("/v2/metrics/meetings/not-a-number").status_code == 400
    assert dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}", {"type": "future"}).status_code == 400
