"""GET /v2/videosdk/sessions/{sessionId}/users/qos: per user of a session (instance UUID or engine
conference id), the per-minute QoS with the seed's mapping (latency from rtt, jitter from delay)."""

from django.utils import timezone


def test_users_of_a_live_session(dashboard, admin, live_meeting, raw_sample):
    call = live_meeting(admin)
    hana, bob = call.people
    raw_sample(hana, timezone.now(), kind="audio", rtt_ms=70, jitter_ms=3, delay_ms=48, bitrate_bps=31_000)

    for session_id in (call.instance.uuid, call.instance.conference_id):
        body = dashboard.get(f"/v2/videosdk/sessions/{session_id}/users/qos", {"page_size": 10}).json()
        assert body["total_records"] == 2
        users = {u["name"]: u for u in body["users"]}
        assert users["Hana"]["id"] == hana.media_participant_id
        assert users["Hana"]["user_qos"][0]["audio_input"] == {
            "bitrate": "31.00 kbps", "latency": "70 ms", "jitter": "48 ms", "avg_loss": "0.00 %", "max_loss": "0.00 %"}
        assert users["Bob"]["user_qos"] == []


def test_past_sessions_and_isolation(dashboard, admin, live_meeting, make_user):
    call = live_meeting(admin, ended=True)
    assert dashboard.get(f"/v2/videosdk/sessions/{call.instance.uuid}/users/qos").status_code == 404  # not live
    assert dashboard.get(f"/v2/videosdk/sessions/{call.instance.uuid}/users/qos", {"type": "past"}).status_code == 200
    theirs = live_meeting(make_user(email="v@example.org", role="owner"))
    response = dashboard.get(f"/v2/videosdk/sessions/{theirs.instance.conference_id}/users/qos")
    assert response.status_code == 404 and response.json()["code"] == 3001
