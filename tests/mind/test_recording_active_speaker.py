"""Who the `selector` layouts show (mind.engine.active_speaker): loudness measured from real audio
files with ffmpeg, and the switching rule — first speaker at once, then only after a second of
leading, silence keeps the picture, switches dated from when the new speaker began."""

import subprocess

import pytest

from mind.engine.active_speaker import HOLD_SECONDS, WINDOW_SECONDS, levels, place, speaker_changes

LOUD, QUIET = 0.01, 0.0  # mean power: -20 dBFS (speech), digital silence


def windows(seconds: float, power: float) -> list[float]:
    return [power] * round(seconds / WINDOW_SECONDS)


def test_the_first_speaker_is_shown_at_once_and_a_new_one_after_the_hold():
    timelines = {"alice": windows(3, LOUD) + windows(4, QUIET), "bob": windows(4, QUIET) + windows(3, LOUD)}
    changes = speaker_changes(timelines)
    assert [who for _, who in changes] == ["alice", "bob"]
    assert changes[0][0] == 0
    assert 3.7 <= changes[1][0] <= 4.0  # dated from when bob began (half a second of smoothing)


def test_a_short_interjection_does_not_switch():
    alice = windows(3, LOUD) + windows(0.5, QUIET) + windows(3, LOUD)
    bob = windows(3, QUIET) + windows(HOLD_SECONDS * 0.3, LOUD * 10) + windows(3, QUIET)
    assert [who for _, who in speaker_changes({"alice": alice, "bob": bob})] == ["alice"]


def test_silence_keeps_whoever_spoke_last_and_quiet_noise_is_not_speech():
    alice = windows(2, LOUD) + windows(5, QUIET)
    bob = windows(2, QUIET) + windows(5, 10 ** (-60 / 10))  # -60 dBFS: a room, not a voice
    assert speaker_changes({"alice": alice, "bob": bob}) == [(0, "alice")]
    assert speaker_changes({"alice": windows(5, QUIET)}) == []


def test_the_louder_of_two_talking_at_once_wins():
    changes = speaker_changes({"alice": windows(5, LOUD), "bob": windows(5, LOUD * 4)})
    assert changes == [(0, "bob")]


def test_place_puts_a_file_at_its_offset_and_adds_overlapping_files():
    timeline = place([1.0, 1.0], 0.3, [])
    assert timeline == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert place([0.5], 0.4, timeline) == [0.0, 0.0, 0.0, 1.0, 1.5]


@pytest.mark.media
def test_levels_measure_a_real_file_every_100_ms(tmp_path):
    path = tmp_path / "tone.opus"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "aevalsrc=0.25*sin(2*PI*440*t)*between(t\\,1\\,2):s=48000:d=3", "-c:a", "libopus", str(path)],
                   check=True)
    powers = levels(path)
    assert 29 <= len(powers) <= 31
    assert max(powers[:8]) < 1e-6 and max(powers[22:]) < 1e-6  # silence
    # A sine of amplitude 0.25 has a mean power of 0.25²/2 ≈ 0.031 (-15 dBFS).
    assert all(0.02 < p < 0.045 for p in powers[12:19]), powers
