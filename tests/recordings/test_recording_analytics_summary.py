"""GET /v2/meetings/{meetingId}/recordings/analytics_summary: plays and downloads per day."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from tests.recordings.conftest import READ

pytestmark = pytest.mark.django_db


def test_counts_plays_and_downloads_per_day(api_client, host, make_recording):
    recording = make_recording(host)
    client = api_client(host, READ)
    files = {f["file_type"]: f for f in client.get(f"/v2/meetings/{recording.meeting_id}/recordings").json()
             ["recording_files"]}
    viewer = Client()
    play, download = urlsplit(files["MP4"]["play_url"]).path, urlsplit(files["MP4"]["download_url"]).path
    viewer.get(play, {"pwd": recording.password})
    viewer.get(play, {"pwd": recording.password}, HTTP_RANGE="bytes=0-99")  # a player's first request
    viewer.get(play, {"pwd": recording.password}, HTTP_RANGE="bytes=100-")  # the same viewing goes on
    viewer.get(download, {"pwd": recording.password})
    viewer.get(play, {"pwd": "wrong"})  # refused: not a view
    body = client.get(f"/v2/meetings/{recording.meeting_id}/recordings/analytics_summary").json()
    today = timezone.now().date().isoformat()
    assert len(body["analytics_summary"]) == 8 and body["to"] == today
    assert body["analytics_summary"][-1] == {"date": today, "views_total_count": 2, "downloads_total_count": 1}
    assert all(day["views_total_count"] == 0 for day in body["analytics_summary"][:-1])
    too_long = client.get(f"/v2/meetings/{recording.meeting_id}/recordings/analytics_summary",
                          {"from": "2026-01-01", "to": "2026-03-01"})
    assert too_long.status_code == 400


def test_other_accounts_get_3301(api_client, host, make_user, make_recording):
    theirs = make_recording(make_user())
    response = api_client(host, READ).get(f"/v2/meetings/{theirs.meeting_id}/recordings/analytics_summary")
    assert response.status_code == 404 and response.json()["code"] == 3301
