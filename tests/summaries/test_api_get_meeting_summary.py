"""GET /v2/meetings/{meetingId}/meeting_summary: latest instance or by UUID; 404 when none; scopes; isolation."""

from urllib.parse import quote

import pytest

from summaries import services

pytestmark = pytest.mark.django_db

READ = "meeting_summary:read"


def test_by_meeting_number_and_by_uuid(summarised, api_client, host):
    summary = summarised()
    instance = summary.instance
    client = api_client(host, READ)
    by_number = client.get(f"/v2/meetings/{instance.meeting_id}/meeting_summary")
    assert by_number.status_code == 200
    body = by_number.json()
    assert body["meeting_uuid"] == instance.uuid
    assert body["meeting_topic"] == "Website relaunch"
    assert body["meeting_host_email"] == host.email
    assert body["summary_title"] == "Meeting summary for Website relaunch"
    assert "launch date" in body["summary_overview"]
    assert body["summary_details"] and all(set(d) == {"label", "summary"} for d in body["summary_details"])
    assert "Gita Guest will tell the newsletter team about the new date by friday." in body["next_steps"]
    assert "edited_summary" not in body
    by_uuid = client.get(f"/v2/meetings/{quote(quote(instance.uuid, safe=''), safe='')}/meeting_summary")
    assert by_uuid.status_code == 200
    assert by_uuid.json() == body


def test_the_latest_instance_is_the_default(summarised, api_client, host, api):
    first = summarised()
    # A second instance of the same meeting, summarised too.
    from summaries import pipeline
    from summaries.models import MeetingSummary
    from tests.summaries.conftest import STANDUP
    from tests.support.meetings import Joiner

    meeting_id = first.instance.meeting_id
    Joiner(host).join(meeting_id)
    assert api.patch(f"/v2/live_meetings/{meeting_id}/events", {"method": "recording.start"}, format="json").status_code == 202
    second_instance = first.instance.meeting.live_instance()
    from tests.summaries.conftest import store_lines

    host_media = second_instance.participants.get(role="host").media_participant_id
    store_lines(second_instance, {"host": host_media, "guest": host_media}, STANDUP[:3])
    assert api.put(f"/v2/meetings/{meeting_id}/status", {"action": "end"}, format="json").status_code == 204
    second = MeetingSummary.objects.get(instance=second_instance)
    pipeline.run(second.pk, second.generation)
    body = api_client(host, READ).get(f"/v2/meetings/{meeting_id}/meeting_summary").json()
    assert body["meeting_uuid"] == second_instance.uuid


def test_edits_are_kept_beside_the_generated_summary(summarised, api_client, host):
    from webhooks.models import Delivery, Subscription

    summary = summarised()
    Subscription.objects.create(account=host.account, url="http://127.0.0.1:9/hook", events=["meeting.summary_updated"], status="active")
    services.edit_summary(summary, summary_details="We moved the launch to 24 March.",
                          next_steps=["Gita: tell the newsletter team", " ", "Hana: book interviews"])
    body = api_client(host, READ).get(f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary").json()
    assert body["edited_summary"] == {"summary_details": "We moved the launch to 24 March.",
                                      "next_steps": ["Gita: tell the newsletter team", "Hana: book interviews"]}
    assert "launch date" in body["summary_overview"]  # the generated one is still there
    delivery = Delivery.objects.get(event="meeting.summary_updated")
    assert delivery.body["payload"]["object"]["meeting_uuid"] == summary.instance.uuid
    assert delivery.body["payload"]["object"]["summary_title"] == "Meeting summary for Website relaunch"


def test_no_summary_is_404_with_zoom_code(ended_meeting, api_client, host):
    instance = ended_meeting()  # pending: the worker has not run
    response = api_client(host, READ).get(f"/v2/meetings/{instance.meeting_id}/meeting_summary")
    assert response.status_code == 404
    assert response.json() == {"code": 3001, "message": "This meeting has no summary."}


def test_unknown_meeting_and_bad_ids(api_client, host):
    client = api_client(host, READ)
    assert client.get("/v2/meetings/99999999999/meeting_summary").json()["code"] == 3001
    assert client.get("/v2/meetings/not-a-uuid!/meeting_summary").status_code == 400


def test_scope_required(summarised, api_client, host):
    summary = summarised()
    response = api_client(host, "meeting:read").get(f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary")
    assert response.status_code == 400
    assert response.json()["code"] == 4711


def test_other_accounts_and_members_see_nothing(summarised, api_client, stranger, member):
    summary = summarised()
    path = f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary"
    assert api_client(stranger, f"{READ} {READ}:admin").get(path).json()["code"] == 3001
    # A member of the same account without the admin scope does not see the host's meetings.
    assert api_client(member, READ).get(path).status_code == 404
    # With the admin scope, but not an admin of the account: still not.
    assert api_client(member, f"{READ}:admin").get(path).status_code == 404
