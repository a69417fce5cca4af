"""A two-person call in Chromium: both browsers report real getStats() samples over their session
sockets every 5 s, and they come back through GET /v2/metrics/meetings/{id}/participants/qos, with
what the browser said of itself (Chrome and its version; Linux and an unknown network are not in Zoom's
vocabulary for `device` and `network_type`, so those stay out)."""

import time

import pytest

from qos.models import QosClient
from tests.e2e.room_helpers import orm

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("e2e_mind_application")]


def both_report(api, meeting_id):
    """The participants' QoS once both sent video and received the other's (else None)."""
    response = api.get(f"/v2/metrics/meetings/{meeting_id}/participants/qos", {"page_size": 10})
    assert response.status_code == 200, response.content
    people = {p["user_name"]: p for p in response.json()["participants"]}
    ready = len(people) == 2 and all(
        any(float(m.get("video_input", {}).get("bitrate", "0 kbps").split()[0]) > 0
            and float(m.get("video_output", {}).get("bitrate", "0 kbps").split()[0]) > 0 for m in p["user_qos"])
        for p in people.values())
    return people if ready else None


def test_real_samples_come_back_through_the_dashboard_api(room_people, api_client):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    guest.wait_for_video_of("Hana Host")
    host.wait_for_video_of("Gus Guest")

    api = orm(api_client, host.user, "dashboard_meetings:read:admin")
    deadline, people = time.monotonic() + 60, None
    while people is None and time.monotonic() < deadline:
        people = orm(both_report, api, meeting.pk)
        if people is None:
            host.page.wait_for_timeout(1000)
    assert people is not None, "both browsers' samples within a minute"

    for name in ("Hana Host", "Gus Guest"):
        minute = next(m for m in people[name]["user_qos"] if "video_input" in m and "video_output" in m)
        sent, received = minute["video_input"], minute["video_output"]
        width, height = (int(v) for v in received["resolution"].split("*"))
        assert width > 0 and height > 0  # the other's camera as decoded here
        assert sent["latency"].endswith(" ms") and sent["avg_loss"].endswith(" %")
        assert received["frame_rate"].endswith(" fps") and int(received["frame_rate"].split()[0]) > 0
        assert "audio_input" in minute

    for name in ("Hana Host", "Gus Guest"):
        assert people[name]["version"].startswith("Chrome ") and "device" not in people[name]
    stored = orm(lambda: sorted(QosClient.objects.values_list("device", "network_type")))
    assert stored == [("Linux", "Unknown"), ("Linux", "Unknown")]
