"""GET /v2/meetings/{meetingId}/summary_digest: decisions, open action items, recurring topics of a series."""

import pytest

from summaries import services

pytestmark = pytest.mark.django_db

READ = "meeting_summary:read"

WEEK_TWO = [
    ("host", "welcome back to the weekly relaunch meeting"),
    ("guest", "the launch date of march twenty fourth still holds and the checkout pages are done"),
    ("host", "about the ads budget the search campaign keeps most of it"),
    ("host", "we decided to hire the candidate from berlin as support lead"),
    ("guest", "i'll send the updated budget sheet to finance tomorrow"),
    ("host", "i will book the launch party venue by friday"),
]


def test_digest_of_two_instances(summarised, api_client, host):
    first = summarised(meeting_type=3)
    meeting_id = first.instance.meeting_id
    services.tick_step(first, 0, True)  # "Gita will tell the newsletter team" is done
    second = summarised(lines=WEEK_TWO, meeting_id=meeting_id)
    body = api_client(host, READ).get(f"/v2/meetings/{meeting_id}/summary_digest").json()
    assert [i["meeting_uuid"] for i in body["instances"]] == [first.instance.uuid, second.instance.uuid]
    assert [d["text"] for d in body["decisions"]] == [
        "We agreed to move the launch date to march twenty fourth.",
        "We decided to hire the candidate from berlin as support lead."]
    items = [(i["text"], i["meeting_uuid"]) for i in body["open_action_items"]]
    assert items == [
        # Said in both meetings: kept once, from the latest.
        ("Gita Guest will send the updated budget sheet to finance tomorrow.", second.instance.uuid),
        ("Hana Host will book the launch party venue by friday.", second.instance.uuid),
    ]
    topics = {t["topic"].lower(): t["meetings"] for t in body["recurring_topics"]}
    assert topics.get("budget") == 2 and topics.get("launch") == 2


def test_scope_and_isolation(summarised, api_client, host, stranger):
    summary = summarised()
    path = f"/v2/meetings/{summary.instance.meeting_id}/summary_digest"
    assert api_client(host, "meeting:read").get(path).json()["code"] == 4711
    assert api_client(stranger, f"{READ} {READ}:admin").get(path).json()["code"] == 3001
    assert api_client(host, READ).get("/v2/meetings/abc/summary_digest").json()["code"] == 300
