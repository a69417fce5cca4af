"""GET /v2/users/{userId}/recordings: from/to (at most one month), paging, trash, isolation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.recordings.conftest import READ

pytestmark = pytest.mark.django_db


def test_lists_the_hosts_recordings_in_the_range(api_client, host, make_recording):
    recording = make_recording(host)
    make_recording(host, start=timezone.now() - timedelta(days=40))  # outside the default range
    body = api_client(host, READ).get("/v2/users/me/recordings").json()
    assert [m["uuid"] for m in body["meetings"]] == [recording.meeting_uuid]
    assert body["total_records"] == 1
    meeting = body["meetings"][0]
    assert meeting["id"] == recording.meeting_id and meeting["recording_count"] == 4
    assert {f["file_type"] for f in meeting["recording_files"]} == {"MP4", "M4A", "TB", "TRANSCRIPT"}
    assert meeting["total_size"] == sum(f["file_size"] for f in meeting["recording_files"])


def test_from_and_to_at_most_one_month_apart(api_client, host, make_recording):
    old = make_recording(host, start=timezone.now() - timedelta(days=40))
    client = api_client(host, READ)
    day = old.start_time.date()
    ok = client.get("/v2/users/me/recordings", {"from": str(day - timedelta(days=3)), "to": str(day + timedelta(days=27))})
    assert ok.status_code == 200 and [m["uuid"] for m in ok.json()["meetings"]] == [old.meeting_uuid]
    too_long = client.get("/v2/users/me/recordings", {"from": "2026-01-01", "to": "2026-02-02"})
    assert too_long.status_code == 400 and too_long.json()["code"] == 300
    assert client.get("/v2/users/me/recordings", {"from": "2026-01-01", "to": "2026-02-01"}).status_code == 200
    backwards = client.get("/v2/users/me/recordings", {"from": "2026-02-01", "to": "2026-01-01"})
    assert backwards.status_code == 400
    assert client.get("/v2/users/me/recordings", {"from": "yesterday"}).status_code == 400


def test_pages_with_next_page_token(api_client, host, make_recording):
    now = timezone.now()
    made = [make_recording(host, start=now - timedelta(hours=h), files=("MP4",)) for h in (1, 2, 3)]
    client = api_client(host, READ)
    seen, token = [], ""
    while True:
        body = client.get("/v2/users/me/recordings", {"page_size": 2, "next_page_token": token,
                                                      "from": str((now - timedelta(days=1)).date())}).json()
        seen += [m["uuid"] for m in body["meetings"]]
        token = body["next_page_token"]
        if not token:
            break
    assert sorted(seen) == sorted(r.meeting_uuid for r in made) and len(seen) == 3
    assert client.get("/v2/users/me/recordings", {"next_page_token": "forged"}).status_code == 400


def test_trash_lists_trashed_recordings_only(api_client, host, make_recording):
    kept, trashed = make_recording(host), make_recording(host)
    client = api_client(host, f"{READ} recording:write")
    assert client.delete(f"/v2/meetings/{trashed.meeting_uuid}/recordings").status_code == 204
    listed = client.get("/v2/users/me/recordings").json()["meetings"]
    assert [m["uuid"] for m in listed] == [kept.meeting_uuid]
    in_trash = client.get("/v2/users/me/recordings", {"trash": "true"}).json()["meetings"]
    assert [m["uuid"] for m in in_trash] == [trashed.meeting_uuid]
    assert all("deleted_time" in f for f in in_trash[0]["recording_files"])
    by_file = client.get("/v2/users/me/recordings", {"trash": "true", "trash_type": "recording_file"}).json()
    assert [m["uuid"] for m in by_file["meetings"]] == [trashed.meeting_uuid]
    assert client.get("/v2/users/me/recordings", {"trash_type": "everything"}).status_code == 400


def test_other_users_and_accounts_stay_private(api_client, host, make_user, make_recording):
    colleague = make_user(account=host.account)
    make_recording(colleague)
    stranger = make_user()
    make_recording(stranger)
    client = api_client(host, READ)
    assert client.get("/v2/users/me/recordings").json()["meetings"] == []
    other = client.get(f"/v2/users/{colleague.public_id}/recordings")
    assert other.status_code == 404 and other.json()["code"] == 1001
    assert client.get(f"/v2/users/{stranger.email}/recordings").status_code == 404
