"""GET /v2/meetings/meeting_summaries: account-wide for admins, from/to, paged, meeting_summary:read:admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from summaries.models import MeetingSummary

pytestmark = pytest.mark.django_db

ADMIN = "meeting_summary:read:admin"


def test_lists_the_accounts_summaries_paged(summarised, api_client, host, member, stranger):
    mine = summarised(topic="Mine")
    theirs = summarised(topic="Member's", host_user=member,
                        client=api_client(member, "meeting:read meeting:write"))
    summarised(topic="Elsewhere", host_user=stranger, client=api_client(stranger, "meeting:read meeting:write"))
    client = api_client(host, ADMIN)
    first = client.get("/v2/meetings/meeting_summaries", {"page_size": 1})
    assert first.status_code == 200
    body = first.json()
    assert body["page_size"] == 1 and len(body["summaries"]) == 1 and body["next_page_token"]
    second = client.get("/v2/meetings/meeting_summaries", {"page_size": 1, "next_page_token": body["next_page_token"]}).json()
    assert not second["next_page_token"]
    uuids = {s["meeting_uuid"] for s in body["summaries"] + second["summaries"]}
    assert uuids == {mine.instance.uuid, theirs.instance.uuid}


def test_from_and_to(summarised, api_client, host):
    old = summarised(topic="Old")
    MeetingSummary.objects.filter(pk=old.pk).update(completed_at=timezone.now() - timedelta(days=10))
    new = summarised(topic="New")
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = api_client(host, ADMIN).get("/v2/meetings/meeting_summaries", {"from": since}).json()
    assert [s["meeting_uuid"] for s in body["summaries"]] == [new.instance.uuid]
    assert body["from"] == since
    until = (timezone.now() - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = api_client(host, ADMIN).get("/v2/meetings/meeting_summaries", {"to": until}).json()
    assert [s["meeting_uuid"] for s in body["summaries"]] == [old.instance.uuid]


def test_bad_dates_and_scope(api_client, host):
    client = api_client(host, ADMIN)
    assert client.get("/v2/meetings/meeting_summaries", {"from": "yesterday"}).json()["code"] == 300
    assert client.get("/v2/meetings/meeting_summaries", {"from": "2024-02-01", "to": "2024-01-01"}).json()["code"] == 300
    response = api_client(host, "meeting_summary:read").get("/v2/meetings/meeting_summaries")
    assert response.status_code == 400 and response.json()["code"] == 4711


def test_a_member_sees_only_their_own(summarised, api_client, host, member):
    summarised(topic="Host's")
    own = summarised(topic="Member's", host_user=member, client=api_client(member, "meeting:read meeting:write"))
    body = api_client(member, ADMIN).get("/v2/meetings/meeting_summaries").json()
    assert [s["meeting_uuid"] for s in body["summaries"]] == [own.instance.uuid]
