"""GET /v2/past_meetings/{meetingId}, /instances and /participants (by meeting id or instance UUID)."""

from urllib.parse import quote

import pytest

from tests.meetings.helpers import run_instance

pytestmark = pytest.mark.django_db


def test_past_meeting_by_id_is_the_latest_instance(api, create_meeting, host):
    created = create_meeting(topic="Retro")
    run_instance(created["id"], minutes=20, days_ago=7)
    latest = run_instance(created["id"], minutes=45, names=("Ann", "Bob", "Cy"))
    response = api.get(f"/v2/past_meetings/{created['id']}")
    assert response.status_code == 200
    body = response.json()
    assert body["uuid"] == latest.uuid and body["id"] == created["id"] and body["topic"] == "Retro"
    assert body["duration"] == 45 and body["participants_count"] == 3 and body["total_minutes"] == 30
    assert body["user_email"] == host.email and body["user_name"] == "Hana Host" and body["host_id"] == host.public_id
    assert body["source"].startswith("test app")  # the OAuth app that created the meeting


def test_past_meeting_by_uuid_including_double_encoded_ones(api, create_meeting):
    created = create_meeting()
    plain = run_instance(created["id"], uuid="aDYlohsHRtCd4ii1uC2+hA==")
    slashed = run_instance(created["id"], uuid="/DYlohs//RtCd4ii1uC2+A==")
    inner_slash = run_instance(created["id"], uuid="QhRyc7ClMfN/l0Eog4dq5Q==")
    assert api.get(f"/v2/past_meetings/{plain.uuid}").json()["uuid"] == plain.uuid
    # Zoom clients send a UUID with a single inner "/" as it is (double encoding is only for "/x" and "//").
    assert api.get(f"/v2/past_meetings/{inner_slash.uuid}").json()["uuid"] == inner_slash.uuid
    double_encoded = quote(quote(slashed.uuid, safe=""), safe="")
    assert api.get(f"/v2/past_meetings/{double_encoded}").json()["uuid"] == slashed.uuid
    participants = api.get(f"/v2/past_meetings/{double_encoded}/participants").json()
    assert participants["total_records"] == 2
    assert api.get(f"/v2/past_meetings/{inner_slash.uuid}/participants").status_code == 200


def test_a_meeting_that_has_not_ended_is_not_a_past_meeting(api, create_meeting, host, joiner):
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    response = api.get(f"/v2/past_meetings/{created['id']}")
    assert response.status_code == 404 and response.json()["code"] == 3001


@pytest.mark.parametrize("bad", ["not-a-uuid", "aDYlohsHRtCd4ii1uC2+hA=", "aDYlohsHRtCd4ii1uC2*hA==", "%25%25%25"])
def test_malformed_uuids_are_300(api, bad):
    response = api.get(f"/v2/past_meetings/{bad}")
    assert response.status_code == 400 and response.json()["code"] == 300


def test_unknown_uuid_is_3001(api):
    response = api.get("/v2/past_meetings/aDYlohsHRtCd4ii1uC2+hA==")
    assert response.status_code == 404 and response.json()["code"] == 3001


def test_instances_lists_ended_instances(api, create_meeting):
    created = create_meeting()
    first, second = run_instance(created["id"], days_ago=2), run_instance(created["id"], days_ago=1)
    body = api.get(f"/v2/past_meetings/{created['id']}/instances").json()
    assert [m["uuid"] for m in body["meetings"]] == [first.uuid, second.uuid]
    assert api.get("/v2/past_meetings/12345678901/instances").status_code == 404


def test_participants_with_durations_in_seconds_paged(api, create_meeting):
    created = create_meeting()
    run_instance(created["id"], names=[f"P{i}" for i in range(5)])
    first = api.get(f"/v2/past_meetings/{created['id']}/participants", {"page_size": 2}).json()
    assert first["total_records"] == 5 and first["page_count"] == 3 and len(first["participants"]) == 2
    participant = first["participants"][0]
    assert participant["name"] == "P0" and participant["duration"] == 600 and participant["status"] == "in_meeting"
    assert participant["leave_time"] > participant["join_time"]
    names = [p["name"] for p in first["participants"]]
    token = first["next_page_token"]
    while token:
        page = api.get(f"/v2/past_meetings/{created['id']}/participants", {"page_size": 2, "next_page_token": token}).json()
        names += [p["name"] for p in page["participants"]]
        token = page["next_page_token"]
    assert names == [f"P{i}" for i in range(5)]


def test_past_data_of_a_deleted_meeting_stays_readable(api, create_meeting):
    created = create_meeting()
    instance = run_instance(created["id"])
    api.delete(f"/v2/meetings/{created['id']}")
    assert api.get(f"/v2/past_meetings/{instance.uuid}").status_code == 200


def test_joins_and_leaves_recorded_by_the_join_service_show_up(api, create_meeting, host, joiner):
    created = create_meeting(password="")
    host_session, guest = joiner(host), joiner()
    host_session.join(created["id"])
    guest.join(created["id"], name="Guest")
    api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json")
    participants = api.get(f"/v2/past_meetings/{created['id']}/participants").json()["participants"]
    assert [(p["name"], p["id"]) for p in participants] == [("Hana Host", host.public_id), ("Guest", "")]
    assert participants[0]["user_email"] == host.email and participants[1]["user_email"] == ""
