"""The recordings pages: list, player, share settings, trash with recover / delete, and share links."""

import pytest
from django.test import Client

from recordings import access
from recordings.models import CloudRecording

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_each_recording_with_its_facts(host, make_recording):
    ready = make_recording(host)
    busy = make_recording(host, files=())
    CloudRecording.objects.filter(pk=busy.pk).update(status="processing", progress=50)
    page = _signed_in(host).get("/recordings/")
    html = page.content.decode()
    assert page.status_code == 200 and ready.topic in html
    assert f"/recordings/{ready.pk}/" in html and "/rec/play/" in html  # the thumbnail's signed link
    assert "Processing 50%" in html and "Shared with: Anyone with the link" in html
    assert Client().get("/recordings/").status_code == 302  # sign in first


def test_player_shows_transcript_and_downloads(host, make_recording):
    recording = make_recording(host, files=("MP4", "TB", "TRANSCRIPT", "CHAT"))
    html = _signed_in(host).get(f"/recordings/{recording.pk}/").content.decode()
    assert 'id="rec-video"' in html and "/rec/play/" in html
    assert 'data-start="2.0"' in html and "Two seconds in" in html and "Gus Guest" in html
    assert html.count("/rec/download/") == 4
    assert "From Hana Host" not in html and "Hana Host" in html  # chat replay: who, when, what
    assert access.share_url(recording) in html


def test_other_accounts_cannot_open_the_pages(host, make_user, make_recording):
    recording = make_recording(host)
    stranger = _signed_in(make_user())
    assert stranger.get(f"/recordings/{recording.pk}/").status_code == 404
    assert stranger.post(f"/recordings/{recording.pk}/trash").status_code == 404
    assert stranger.get("/recordings/not-a-uuid/").status_code == 404
    assert CloudRecording.objects.get(pk=recording.pk).trashed_at is None


def test_share_settings_form(host, make_recording):
    recording = make_recording(host)
    client = _signed_in(host)
    client.post(f"/recordings/{recording.pk}/share", {"share_recording": "internally", "password": "abcd1234"})
    recording.refresh_from_db()
    assert recording.settings["share_recording"] == "internally" and recording.settings["viewer_download"] is False
    assert recording.password == "abcd1234"
    response = client.post(f"/recordings/{recording.pk}/share", {"share_recording": "publicly", "password": "x"},
                           follow=True)
    assert "8 to 10 characters" in response.content.decode()
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(host)
    assert csrf.post(f"/recordings/{recording.pk}/share", {"share_recording": "none"}).status_code == 403


def test_trash_recover_and_delete_for_good(host, make_recording):
    recording = make_recording(host)
    client = _signed_in(host)
    client.post(f"/recordings/{recording.pk}/trash")
    assert f"/recordings/{recording.pk}/" not in client.get("/recordings/").content.decode()
    trash = client.get("/recordings/trash").content.decode()
    assert recording.topic in trash and "Recover" in trash
    client.post(f"/recordings/{recording.pk}/recover")
    assert CloudRecording.objects.get(pk=recording.pk).trashed_at is None
    client.post(f"/recordings/{recording.pk}/trash")
    client.post(f"/recordings/{recording.pk}/delete")
    assert not CloudRecording.objects.filter(pk=recording.pk).exists()


def test_share_link_without_an_account_asks_for_the_passcode(host, make_recording):
    recording = make_recording(host)
    url = f"/rec/share/{recording.share_token}"
    viewer = Client()
    form = viewer.get(url)
    assert form.status_code == 200 and 'name="passcode"' in form.content.decode()
    wrong = viewer.post(url, {"passcode": "nope"})
    assert wrong.status_code == 403 and "not right" in wrong.content.decode()
    assert viewer.post(url, {"passcode": recording.password}).status_code == 302
    player = viewer.get(url).content.decode()
    assert 'id="rec-video"' in player and "Two seconds in" in player
    video = player.split('id="rec-video"', 1)[1].split('src="', 1)[1].split('"', 1)[0].replace("http://localhost:8000", "")
    assert viewer.get(video).status_code == 200  # the unlocked session may play the file

    recording.settings = {"share_recording": "none"}
    recording.save()
    assert Client().get(url).status_code == 403
    assert Client().get("/rec/share/unknown").status_code == 404


def test_guessing_the_passcode_is_slowed_down(host, make_recording, settings):
    settings.JOIN_PASSCODE_ATTEMPTS = 3
    recording = make_recording(host)
    url = f"/rec/share/{recording.share_token}"
    guesser = Client()
    for _ in range(3):
        assert guesser.post(url, {"passcode": "wrong"}).status_code == 403
    refused = guesser.post(url, {"passcode": recording.password})  # even the right one, for a while
    assert refused.status_code == 429 and "Too many wrong passcodes" in refused.content.decode()
