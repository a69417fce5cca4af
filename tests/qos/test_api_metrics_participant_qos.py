"""GET /v2/metrics/meetings/{meetingId}/participants/{participantId}/qos: one participant (by the
participant id the participants list gives, `user_id`); a SIP participant has the server's view."""

from django.utils import timezone


def test_one_participant(dashboard, admin, live_meeting, raw_sample):
    call = live_meeting(admin)
    hana, bob = call.people
    now = timezone.now()
    raw_sample(bob, now, kind="audio", rtt_ms=250)
    body = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/{bob.key}/qos").json()
    assert (body["user_id"], body["user_name"]) == (bob.key, "Bob")
    assert body["user_qos"][0]["audio_input"]["latency"] == "250 ms"


def test_the_servers_view_fills_in_only_where_the_browser_is_silent(dashboard, admin, live_meeting, raw_sample):
    call = live_meeting(admin)
    hana, phone = call.people
    now = timezone.now()
    raw_sample(phone, now, kind="audio", source="server", rtt_ms=80)
    raw_sample(hana, now, kind="audio", source="server", rtt_ms=999)
    raw_sample(hana, now, kind="audio", rtt_ms=20)
    phone_body = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/{phone.key}/qos").json()
    assert phone_body["user_qos"][0]["audio_input"]["latency"] == "80 ms"
    hana_body = dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/{hana.key}/qos").json()
    assert [entry["audio_input"]["latency"] for entry in hana_body["user_qos"]] == ["20 ms"]


def test_unknown_participants_and_other_accounts_are_404(dashboard, admin, live_meeting, make_user):
    call = live_meeting(admin)
    other = live_meeting(make_user(email="z@example.org", role="owner"))
    assert dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/nobody/qos").status_code == 404
    stranger = other.people[1].key
    assert dashboard.get(f"/v2/metrics/meetings/{call.meeting.pk}/participants/{stranger}/qos").status_code == 404
    assert dashboard.get(f"/v2/metrics/meetings/{other.meeting.pk}/participants/{stranger}/qos").status_code == 404
