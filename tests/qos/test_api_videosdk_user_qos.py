"""GET /v2/videosdk/sessions/{sessionId}/users/{userId}/qos: one user by the engine's participant id."""

from django.utils import timezone


def test_one_user(dashboard, admin, live_meeting, raw_sample):
    call = live_meeting(admin)
    _, bob = call.people
    raw_sample(bob, timezone.now(), kind="video", rtt_ms=33, delay_ms=12, width=640, height=480, frame_rate=15)
    body = dashboard.get(f"/v2/videosdk/sessions/{call.instance.uuid}/users/{bob.media_participant_id}/qos").json()
    assert (body["id"], body["name"]) == (bob.media_participant_id, "Bob")
    video = body["user_qos"][0]["video_input"]
    assert (video["latency"], video["jitter"], video["resolution"], video["frame_rate"]) == ("33 ms", "12 ms", "640*480", "15 fps")


def test_users_of_other_sessions_are_404(dashboard, admin, live_meeting, make_user):
    call = live_meeting(admin)
    other = live_meeting(admin)
    theirs = live_meeting(make_user(email="u@example.org", role="owner"))
    for session, user in ((call, other.people[1]), (theirs, theirs.people[1])):
        response = dashboard.get(f"/v2/videosdk/sessions/{session.instance.uuid}/users/{user.media_participant_id}/qos")
        assert response.status_code == 404
