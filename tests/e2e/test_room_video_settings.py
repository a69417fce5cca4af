"""host_video / participant_video in the browser: with participant_video off a guest enters with the
camera off (and can turn it on); with host_video on the host's camera is on."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_participants_enter_with_the_camera_off(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host, host_video=True, participant_video=False)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    guest.wait_for("() => document.querySelector('#btn-cam').dataset.icon === 'videocamoff'",
                   message="the guest's camera off at entry")
    assert host.page.get_attribute("#btn-cam", "data-icon") == "videocam"
    guest.wait_for_video_of("Hana Host")
    screenshot(guest.page, "camera-off")
    guest.page.click("#btn-cam")  # the guest may still turn it on
    host.wait_for_video_of("Gus Guest")
