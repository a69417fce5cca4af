"""play_url / download_url: signed and expiring (tampering or age → 403), Range (206 with exactly the
requested bytes), content types and Content-Disposition, passcode, share settings, viewer_download,
and download_access_token."""

import time
from urllib.parse import urlsplit

import pytest
from django.test import Client

from recordings import access
from tests.recordings.conftest import READ

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _files(api_client, host, recording):
    body = api_client(host, READ).get(f"/v2/meetings/{recording.meeting_id}/recordings").json()
    return {f["file_type"]: f for f in body["recording_files"]}


@pytest.mark.usefixtures("each_store")  # on disk and on S3
def test_owner_downloads_and_plays_with_the_right_headers(api_client, host, make_recording, sample_media):
    recording = make_recording(host)
    files = _files(api_client, host, recording)
    owner = Client()
    owner.force_login(host)
    download = owner.get(_path(files["MP4"]["download_url"]))
    assert download.status_code == 200 and download["Content-Type"] == "video/mp4"
    assert download["Content-Disposition"].startswith('attachment; filename="Design_review-')
    assert download["Accept-Ranges"] == "bytes"
    assert _body(download) == sample_media["MP4"].read_bytes()
    play = owner.get(_path(files["MP4"]["play_url"]))
    assert play.status_code == 200 and play["Content-Disposition"].startswith("inline;")
    vtt = owner.get(_path(files["TRANSCRIPT"]["download_url"]))
    assert vtt["Content-Type"].startswith("text/vtt") and _body(vtt).startswith(b"WEBVTT")
    assert owner.get(_path(files["M4A"]["download_url"]))["Content-Type"] == "audio/mp4"
    assert owner.get(_path(files["TB"]["download_url"]))["Content-Type"] == "image/jpeg"


@pytest.mark.usefixtures("each_store")  # on disk and on S3
def test_range_requests_get_exactly_those_bytes(api_client, host, make_recording, sample_media):
    recording = make_recording(host)
    url = _path(_files(api_client, host, recording)["MP4"]["play_url"])
    owner = Client()
    owner.force_login(host)
    whole = sample_media["MP4"].read_bytes()
    size = len(whole)
    for header, start, end in (("bytes=100-1099", 100, 1099), ("bytes=5000-", 5000, size - 1),
                               ("bytes=-700", size - 700, size - 1), (f"bytes=10-{size + 50}", 10, size - 1)):
        response = owner.get(url, HTTP_RANGE=header)
        assert response.status_code == 206, header
        assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert int(response["Content-Length"]) == end - start + 1
        assert _body(response) == whole[start:end + 1], header
    beyond = owner.get(url, HTTP_RANGE=f"bytes={size}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"


def test_tampered_or_expired_links_are_403(api_client, host, make_recording):
    recording = make_recording(host)
    owner = Client()
    owner.force_login(host)
    url = _path(_files(api_client, host, recording)["MP4"]["download_url"])
    token = url.rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert owner.get(f"/rec/download/{tampered}").status_code == 403
    play_token = access.file_token(recording.files.get(file_type="MP4"), "play")
    assert owner.get(f"/rec/download/{play_token}").status_code == 403  # a play link does not download
    old = access.file_token(recording.files.get(file_type="MP4"), "download", issued_at=time.time() - 86401)
    expired = owner.get(f"/rec/download/{old}")
    assert expired.status_code == 403 and b"expired" in expired.content
    assert owner.get(url).status_code == 200


@pytest.mark.usefixtures("each_store")  # on disk and on S3
def test_passcode_and_share_settings_for_viewers_without_an_account(api_client, host, make_recording):
    recording = make_recording(host)
    files = _files(api_client, host, recording)
    viewer = Client()
    play, download = _path(files["MP4"]["play_url"]), _path(files["MP4"]["download_url"])
    assert viewer.get(play).status_code == 403  # the passcode is required
    assert viewer.get(play, {"pwd": "wrong"}).status_code == 403
    assert viewer.get(play, {"pwd": recording.password}).status_code == 200
    assert viewer.get(play, {"pwd": access.play_passcode(recording)}).status_code == 200
    assert viewer.get(download, {"pwd": recording.password}).status_code == 200

    recording.settings = {"viewer_download": False}
    recording.save()
    assert viewer.get(play, {"pwd": recording.password}).status_code == 200
    assert viewer.get(download, {"pwd": recording.password}).status_code == 403
    owner = Client()
    owner.force_login(host)
    assert owner.get(download).status_code == 200  # the host always may

    recording.settings = {"share_recording": "none"}
    recording.save()
    assert viewer.get(play, {"pwd": recording.password}).status_code == 403
    recording.settings, recording.password = {"share_recording": "publicly"}, ""
    recording.save()
    assert viewer.get(play).status_code == 200  # no passcode set


def test_internal_sharing_needs_a_member_of_the_account(api_client, host, make_user, make_recording):
    recording = make_recording(host, settings={"share_recording": "internally"})
    play = _path(_files(api_client, host, recording)["MP4"]["play_url"])
    colleague, stranger = Client(), Client()
    colleague.force_login(make_user(account=host.account))
    stranger.force_login(make_user())
    assert colleague.get(play, {"pwd": recording.password}).status_code == 200
    assert stranger.get(play, {"pwd": recording.password}).status_code == 403


def test_download_access_token_and_bearer_tokens(api_client, host, make_user, make_recording):
    from tests.conftest import issue_token

    recording, other = make_recording(host), make_recording(host)
    body = api_client(host, READ).get(f"/v2/meetings/{recording.meeting_id}/recordings",
                                      {"include_fields": "download_access_token"}).json()
    token = body["download_access_token"]
    download = _path(next(f for f in body["recording_files"] if f["file_type"] == "MP4")["download_url"])
    anyone = Client()
    assert anyone.get(download, {"access_token": token}).status_code == 200
    assert anyone.get(download, {"access_token": token + "x"}).status_code == 403
    other_download = _path(_files(api_client, host, other)["MP4"]["download_url"])
    assert anyone.get(other_download, {"access_token": token}).status_code == 403  # another recording's
    short = api_client(host, READ).get(f"/v2/meetings/{recording.meeting_id}/recordings",
                                       {"include_fields": "download_access_token", "ttl": 0}).json()
    time.sleep(1.1)
    assert anyone.get(download, {"access_token": short["download_access_token"]}).status_code == 403

    bearer = issue_token(host, READ)
    assert anyone.get(download, HTTP_AUTHORIZATION=f"Bearer {bearer}").status_code == 200
    meeting_only = issue_token(host, "meeting:read")
    assert anyone.get(download, HTTP_AUTHORIZATION=f"Bearer {meeting_only}").status_code == 403
    strangers = issue_token(make_user(), READ)
    assert anyone.get(download, HTTP_AUTHORIZATION=f"Bearer {strangers}").status_code == 403


def test_trashed_files_are_no_longer_served(api_client, host, make_recording):
    recording = make_recording(host)
    play = _path(_files(api_client, host, recording)["MP4"]["play_url"])
    owner = Client()
    owner.force_login(host)
    api_client(host, "recording:write").delete(f"/v2/meetings/{recording.meeting_id}/recordings")
    assert owner.get(play).status_code == 403


def test_recording_authentication_and_domains(api_client, host, make_user, make_recording):
    recording = make_recording(host, settings={"recording_authentication": True,
                                               "authentication_domains": "partner.example"})
    play = _path(_files(api_client, host, recording)["MP4"]["play_url"])
    partner, other, anonymous = Client(), Client(), Client()
    partner.force_login(make_user(email="pat@partner.example"))
    other.force_login(make_user(email="olga@elsewhere.example"))
    assert partner.get(play, {"pwd": recording.password}).status_code == 200  # another account, allowed domain
    assert other.get(play, {"pwd": recording.password}).status_code == 403
    assert anonymous.get(play, {"pwd": recording.password}).status_code == 403
    recording.settings = {"recording_authentication": True}
    recording.save()
    assert other.get(play, {"pwd": recording.password}).status_code == 200  # any signed-in viewer
