"""No camera (the browser reports none): the pre-join screen says so, the person joins with audio
only and stays in the call; the others see their avatar and hear them."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

NO_CAMERA = """
(() => {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) => constraints && constraints.video
    ? Promise.reject(new DOMException("Requested device not found", "NotFoundError"))
    : original(constraints);
})();
"""


def test_joining_without_a_camera(room_people):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest()
    guest.page.add_init_script(NO_CAMERA)
    guest.open(meeting)
    message = guest.page.wait_for_selector("#device-message:not([hidden])")
    assert "No camera found" in message.text_content()
    assert guest.page.get_attribute("#pre-cam", "aria-pressed") == "false"
    guest.join("Gus Guest")

    assert guest.page.locator(".toast", has_text="No camera found").count() == 1
    host.wait_for("() => { const t = document.querySelector('.tile[data-name=\"Gus Guest\"]');"
                  " return t && t.dataset.audio === 'on' && t.dataset.video === 'off'; }", message="Gus, audio only")
    assert host.tile("Gus Guest").locator(".avatar b").is_visible()
    guest.page.click("#btn-cam")  # trying again explains again, and the call goes on
    guest.page.wait_for_selector(".toast:has-text('No camera found') >> nth=1")
    assert guest.page.get_attribute("#btn-cam", "aria-pressed") == "false"
    guest.wait_for_video_of("Hana Host")
