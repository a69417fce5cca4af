"""Noise suppression (RNNoise in an AudioWorklet, static/js/effects/noise.js), measured where it
matters: on the audio another person receives. A guest's fake microphone plays speech over steady
noise; the host's page measures the guest's received track (Web Audio analyser on the remote
track): the noise floor (the quiet 10% of 50 ms windows, between sentences) is far lower while the
guest's suppression is on (the default) than after the guest turns it off in Settings, and the
speech still comes through well above it."""

import subprocess

import pytest

from tests.e2e.room_helpers import RECEIVED_LEVELS, RoomUser
from tests.mind.speech import ALICE, speak

pytestmark = pytest.mark.django_db(transaction=True)



def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))]


def noisy_speech(tmp_path):
    """Sentences with 1.5 s pauses, over loud pink noise, 48 kHz mono."""
    speech = speak(ALICE, tmp_path / "speech.wav", "en-us", gap=1.5, lead=1.0, tail=1.5)
    seconds = float(subprocess.run(["soxi", "-D", str(speech)], check=True, capture_output=True, text=True).stdout)
    noise = tmp_path / "noise.wav"
    subprocess.run(["sox", "-n", "-r", "48000", "-c", "1", "-b", "16", str(noise), "synth", f"{seconds:.3f}",
                    "pinknoise", "vol", "0.15"], check=True, timeout=60)
    mixed = tmp_path / "speech-in-noise.wav"
    subprocess.run(["sox", "-m", str(speech), str(noise), "-b", "16", str(mixed)], check=True, timeout=60)
    return mixed


def test_received_noise_floor_drops_with_suppression_on(room_people, web_server, chromium_with_microphone,
                                                        tmp_path, screenshot):
    wav = noisy_speech(tmp_path)
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest_browser = chromium_with_microphone(wav)
    context = guest_browser.new_context(base_url=web_server.url, permissions=["camera", "microphone"],
                                        viewport={"width": 1280, "height": 800})
    guest = RoomUser(context.new_page(), web_server).open(meeting).join("Sam Speaker")
    # On by default: the processed track (not the microphone's own) is what is published.
    guest.wait_for("() => document.querySelector('#set-noise').dataset.state === 'on'", timeout=30,
                   message="noise suppression running")
    host.wait_for_tile("Sam Speaker")
    host.wait_for("() => { const v = document.querySelector('.tile:not(.self)[data-name=\"Sam Speaker\"] video');"
                  " return Boolean(v && v.mediaStream && v.mediaStream.getAudioTrack()); }",
                  message="the guest's audio arrives")
    host.page.wait_for_timeout(2000)  # jitter buffer and codec settle
    # The file loops (about 13 s): measure one whole loop of sentences and pauses each time.
    levels_on = host.page.evaluate(RECEIVED_LEVELS, ["Sam Speaker", 14])

    guest.page.click("#btn-more")
    guest.page.click('[data-action="settings"]')
    assert guest.page.is_checked("#set-noise")
    guest.page.uncheck("#set-noise")
    guest.wait_for("() => document.querySelector('#set-noise').dataset.state === 'off'",
                   message="noise suppression off")
    screenshot(guest.page, "settings")
    guest.page.click("#settings-done")
    host.page.wait_for_timeout(2000)
    levels_off = host.page.evaluate(RECEIVED_LEVELS, ["Sam Speaker", 14])

    floor_on, floor_off = percentile(levels_on, 0.1), percentile(levels_off, 0.1)
    speech_on = percentile(levels_on, 0.95)
    print(f"received noise floor: {floor_on:.1f} dBFS with suppression, {floor_off:.1f} dBFS without; "
          f"speech peaks {speech_on:.1f} dBFS with suppression")
    assert floor_off > -70, f"the noise should be heard without suppression ({floor_off:.1f} dBFS)"
    assert floor_on < floor_off - 10, (floor_on, floor_off)
    assert speech_on > floor_on + 20, (speech_on, floor_on)  # speech still comes through

    # The choice is remembered: after a reload the switch stays off.
    guest.page.reload()
    guest.wait_in_call()
    assert not guest.page.is_checked("#set-noise")
