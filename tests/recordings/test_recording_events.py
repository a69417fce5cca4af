"""recording.trashed / recording.recovered / recording.deleted go to the webhook sender on commit."""

import pytest

from tests.recordings.conftest import READ, WRITE
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


def test_trash_recover_delete_send_their_events(api_client, host, make_recording, django_capture_on_commit_callbacks):
    Subscription.objects.create(account=host.account, url="http://127.0.0.1:9/hook", status="active")
    recording = make_recording(host)
    client = api_client(host, f"{READ} {WRITE}")
    url = f"/v2/meetings/{recording.meeting_id}/recordings"
    with django_capture_on_commit_callbacks() as queued:
        client.delete(url)
    assert queued, "the delivery is queued after the commit"
    client.put(f"{url}/status", {"action": "recover"}, format="json")
    m4a = recording.files.get(file_type="M4A")
    client.delete(f"{url}/{m4a.pk}", QUERY_STRING="action=delete")
    events = list(Delivery.objects.order_by("pk").values_list("event", flat=True))
    assert events == ["recording.trashed", "recording.recovered", "recording.deleted"]
    trashed, recovered, deleted = (d.body["payload"]["object"] for d in Delivery.objects.order_by("pk"))
    assert trashed["uuid"] == recording.meeting_uuid and trashed["recording_count"] == 4
    assert {f["file_type"] for f in recovered["recording_files"]} == {"MP4", "M4A", "TB", "TRANSCRIPT"}
    assert [f["id"] for f in deleted["recording_files"]] == [str(m4a.pk)]


def test_no_events_for_another_accounts_endpoints(api_client, host, make_user, make_recording):
    stranger = make_user()
    Subscription.objects.create(account=stranger.account, url="http://127.0.0.1:9/hook", status="active")
    recording = make_recording(host)
    api_client(host, WRITE).delete(f"/v2/meetings/{recording.meeting_id}/recordings")
    assert not Delivery.objects.exists()
