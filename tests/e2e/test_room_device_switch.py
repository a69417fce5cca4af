"""Switching the camera and microphone mid-call (More → Settings): the new devices' tracks are
sent in place of the old ones and the others keep seeing and hearing the person."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

SELF_DEVICE = "(kind) => { const s = document.querySelector('.tile.self video').srcObject;" \
              " const t = s && (kind === 'video' ? s.getVideoTracks()[0] : null); return t ? t.getSettings().deviceId : null; }"


def test_switching_devices_mid_call(room_people):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    host.wait_for_video_of("Gus Guest")

    guest.page.click("#btn-more")
    guest.page.click('[data-action="settings"]')
    guest.page.wait_for_selector("#settings[open]")
    cameras = guest.page.eval_on_selector_all("#set-camera option", "os => os.map(o => [o.value, o.selected])")
    assert len(cameras) >= 2, cameras  # "Default Camera" and the device itself
    other = next(value for value, selected in cameras if not selected)
    guest.page.select_option("#set-camera", other)
    guest.wait_for(f"() => ({SELF_DEVICE})('video') === {other!r}", message="the new camera is in use")
    microphones = guest.page.eval_on_selector_all("#set-mic option", "os => os.map(o => [o.value, o.selected])")
    other_mic = next((value for value, selected in microphones if not selected), None)
    if other_mic:
        guest.page.select_option("#set-mic", other_mic)
    guest.page.click("#settings-done")

    host.wait_for_video_of("Gus Guest")  # still playing: frames keep coming from the new camera
    assert host.tile("Gus Guest").get_attribute("data-video") == "on"
    assert host.tile("Gus Guest").get_attribute("data-audio") == "on"
    assert guest.page.get_attribute("#btn-cam", "aria-pressed") == "true"
