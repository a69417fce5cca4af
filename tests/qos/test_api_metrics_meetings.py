"""GET /v2/metrics/meetings: live and past meetings with participant counts and quality flags;
paging per the contract; the date range is required and at most a month; an account's dashboard
never lists another account's meetings; a member sees only their own."""

from datetime import timedelta

from django.utils import timezone

DAY = "%Y-%m-%d"


def window(days_back=1, days_ahead=1):
    now = timezone.now()
    return {"from": (now - timedelta(days=days_back)).strftime(DAY), "to": (now + timedelta(days=days_ahead)).strftime(DAY)}


def test_live_meetings_with_counts_and_quality(dashboard, admin, live_meeting, raw_sample):
    good = live_meeting(admin, topic="Calm")
    bad = live_meeting(admin, names=("Hana", "Bob", "Eve"), topic="Stormy")
    live_meeting(admin, ended=True, topic="Over")
    now = timezone.now()
    for person in good.people:
        raw_sample(person, now, kind="audio", loss_pct=0.1, rtt_ms=40)
    raw_sample(bad.people[1], now, kind="audio", loss_pct=12.0, rtt_ms=80)
    raw_sample(bad.people[2], now, kind="video", media="secondary", loss_pct=3.0)

    response = dashboard.get("/v2/metrics/meetings", {"type": "live", **window()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total_records"] == 2
    listed = {m["topic"]: m for m in body["meetings"]}
    assert set(listed) == {"Calm", "Stormy"}
    assert listed["Calm"]["participants"] == 2 and listed["Stormy"]["participants"] == 3
    assert listed["Calm"]["audio_quality"] == "good" and "video_quality" not in listed["Calm"]
    assert listed["Stormy"]["audio_quality"] == "poor"
    assert listed["Stormy"]["screen_share_quality"] == "fair" and listed["Stormy"]["has_screen_share"] is True
    assert listed["Calm"]["id"] == good.meeting.pk and listed["Calm"]["uuid"] == good.instance.uuid
    assert "end_time" not in listed["Calm"] and listed["Calm"]["host"] == "Olga Owner"


def test_past_meetings_in_the_range_page_by_token(dashboard, admin, live_meeting):
    old = timezone.now() - timedelta(days=3)
    for n in range(3):
        live_meeting(admin, ended=True, topic=f"Past {n}", started=old + timedelta(hours=n))
    live_meeting(admin, ended=True, topic="Too old", started=old - timedelta(days=20))
    live_meeting(admin, topic="Live")

    first = dashboard.get("/v2/metrics/meetings", {"type": "past", "page_size": 2, **window(days_back=5)}).json()
    assert (first["total_records"], first["page_size"], first["page_count"]) == (3, 2, 2)
    second = dashboard.get("/v2/metrics/meetings", {"type": "past", "page_size": 2, "next_page_token": first["next_page_token"],
                                                    **window(days_back=5)}).json()
    topics = [m["topic"] for m in first["meetings"] + second["meetings"]]
    assert topics == ["Past 0", "Past 1", "Past 2"] and second["next_page_token"] == ""
    assert first["meetings"][0]["duration"] == "00:20:00" and first["meetings"][0]["end_time"]


def test_past_one_lists_meetings_attended_by_one_person(dashboard, admin, live_meeting):
    live_meeting(admin, names=("Hana",), ended=True, topic="Alone")
    live_meeting(admin, ended=True, topic="Together")
    body = dashboard.get("/v2/metrics/meetings", {"type": "pastOne", **window()}).json()
    assert [m["topic"] for m in body["meetings"]] == ["Alone"]


def test_bad_parameters_are_400(dashboard):
    for query in ({"type": "live"}, {"type": "later", **window()}, {"from": "2026-01-01", "to": "2026-03-01"},
                  {"from": "yesterday", "to": "2026-01-02"}, {"page_size": 301, **window()},
                  {"group_id": "g1", **window()}):
        response = dashboard.get("/v2/metrics/meetings", query)
        assert response.status_code == 400, query
        assert response.json()["code"] == 300


def test_the_dashboard_scope_is_required(api_client, admin):
    response = api_client(admin, "meeting:read").get("/v2/metrics/meetings", window())
    assert response.status_code == 400 and "dashboard_meetings:read:admin" in response.json()["message"]
    assert api_client(admin, "dashboard:read:admin").get("/v2/metrics/meetings", window()).status_code == 200


def test_other_accounts_and_other_hosts_stay_out(dashboard, admin, api_client, make_user, live_meeting):
    stranger = make_user(email="stranger@example.org", role="owner")  # another account
    member = make_user(email="member@example.com", account=admin.account, role="member")
    live_meeting(stranger, topic="Theirs")
    live_meeting(member, topic="Member's")
    live_meeting(admin, topic="Owner's")

    owner_view = dashboard.get("/v2/metrics/meetings", window()).json()
    assert {m["topic"] for m in owner_view["meetings"]} == {"Member's", "Owner's"}
    member_view = api_client(member, "dashboard_meetings:read:admin").get("/v2/metrics/meetings", window()).json()
    assert [m["topic"] for m in member_view["meetings"]] == ["Member's"]
