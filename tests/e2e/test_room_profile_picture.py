"""A signed-in person's profile picture on their tile while the camera is off, in Chromium: the host
(with a picture) enters with the camera off; the guest sees the picture (loaded, not the initials) on
the host's tile; the guest (no account) shows initials; when the host turns the camera on the video
takes the tile."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import pictures
from tests.accounts.pictures import image_bytes
from tests.e2e.room_helpers import orm

pytestmark = pytest.mark.django_db(transaction=True)

TILE_PICTURE = """([name]) => {
  const tile = document.querySelector(`.tile[data-name="${name}"]`);
  const img = tile && tile.querySelector('.avatar b.picture img');
  return tile && tile.classList.contains('no-video') && img && img.complete && img.naturalWidth === 256
    ? img.getAttribute('src') : null;
}"""


def test_the_picture_shows_while_the_camera_is_off(room_people, screenshot):
    host = room_people.host("Hana Host")
    url = orm(lambda: pictures.set_picture(host.user, SimpleUploadedFile("me.png", image_bytes())))
    meeting = room_people.meeting(host, host_video=False, participant_video=False)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")

    assert guest.wait_for(TILE_PICTURE, ["Hana Host"], message="the host's picture on the tile") == url
    assert host.wait_for(TILE_PICTURE, ["Hana Host"], message="the host's own tile") == url
    assert host.page.text_content('.tile[data-name="Gus Guest"] .avatar b') == "GG"
    screenshot(guest.page, "picture-on-tile")

    host.page.click("#btn-cam")
    guest.wait_for_video_of("Hana Host")
    guest.wait_for("""() => !document.querySelector('.tile[data-name="Hana Host"]').classList.contains('no-video')""",
                   message="the video replaces the picture")
