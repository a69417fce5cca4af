"""The composer's filter graph (`recording_media.compose_mp4`) on synthetic tracks, without Janus:
the recording is cut into stretches of constant composition, each drawn from its scene and
concatenated. Checks that every stretch shows what the layout says at the right moment, that a
camera joining late or leaving early is placed only while it publishes, that a speaker who comes
back after a long silence of theirs is shown again, and that the MP4 has exactly one frame per
1/25 s of the recording (no stretch longer or shorter than planned)."""

import json
import subprocess
from pathlib import Path

import pytest

from mind.engine import recording_media
from mind.engine.recording_media import FRAME_RATE, Track

pytestmark = pytest.mark.timeout(300)

RED, BLUE, BLACK = (255, 0, 0), (0, 0, 255), (0, 0, 0)


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args], check=True)


def camera(folder: Path, name: str, colour: str, seconds: float) -> Path:
    path = folder / f"{name}.webm"
    ffmpeg("-f", "lavfi", "-i", f"color=c={colour}:s=320x180:r=25:d={seconds}",
           "-c:v", "libvpx", "-deadline", "realtime", "-b:v", "200k", str(path))
    return path


def voice(folder: Path, name: str, seconds: float, speaking: list[tuple[float, float]]) -> Path:
    path = folder / f"{name}.opus"
    on = "+".join(f"between(t\\,{start}\\,{end})" for start, end in speaking)
    ffmpeg("-f", "lavfi", "-i", f"aevalsrc=0.3*sin(2*PI*300*t)*({on}):s=48000:d={seconds}",
           "-c:a", "libopus", "-b:a", "32k", str(path))
    return path


def frame_count(mp4: Path) -> int:
    output = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                             "-show_entries", "stream=nb_read_frames", "-of", "json", str(mp4)],
                            capture_output=True, text=True, check=True).stdout
    return int(json.loads(output)["streams"][0]["nb_read_frames"])


def colour_at(mp4: Path, second: float, x: int, y: int) -> tuple[int, int, int]:
    pixel = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-ss", f"{second}", "-i", str(mp4),
                            "-frames:v", "1", "-vf", f"format=rgb24,crop=2:2:{x}:{y}", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                           capture_output=True, check=True).stdout
    return (pixel[0], pixel[1], pixel[2])  # the top-left of the 2×2 crop


def near(actual: tuple[int, int, int], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - e) < 60 for a, e in zip(actual, expected, strict=True))


def test_mosaic_places_a_late_and_early_leaving_camera_only_while_it_publishes(tmp_path):
    red = camera(tmp_path, "red", "red", 6)
    blue = camera(tmp_path, "blue", "blue", 2)  # joins at 2 s, leaves at 4 s
    tracks = [Track("video", red, 0, participant_id="alice"), Track("video", blue, 2_000_000, participant_id="bob")]
    mp4 = tmp_path / "out.mp4"
    recording_media.compose_mp4(tracks, mp4, [(0, "mosaic")])

    assert frame_count(mp4) == 6 * FRAME_RATE
    # Alone: Alice fills the frame. Both: two columns (Alice left, Bob right). Alone again after.
    assert near(colour_at(mp4, 1.0, 640, 360), RED)
    assert near(colour_at(mp4, 3.0, 320, 360), RED) and near(colour_at(mp4, 3.0, 960, 360), BLUE)
    assert near(colour_at(mp4, 3.0, 320, 100), BLACK)  # letterboxed in its 640×720 column
    assert near(colour_at(mp4, 5.0, 640, 360), RED)


def test_selector_shows_a_speaker_again_after_a_long_silence(tmp_path):
    seconds = 24
    red, blue = camera(tmp_path, "red", "red", seconds), camera(tmp_path, "blue", "blue", seconds)
    # Alice speaks first, Bob for a long while, then Alice again: Alice's scene comes back after
    # 16 s without frames, which must neither stall the graph nor shift anything in time.
    alice = voice(tmp_path, "alice", seconds, [(0, 3), (20, 23)])
    bob = voice(tmp_path, "bob", seconds, [(4, 19)])
    tracks = [Track("video", red, 0, participant_id="alice"), Track("video", blue, 0, participant_id="bob"),
              Track("audio", alice, 0, participant_id="alice"), Track("audio", bob, 0, participant_id="bob")]
    mp4 = tmp_path / "out.mp4"
    recording_media.compose_mp4(tracks, mp4, [(0, "selector")])

    assert frame_count(mp4) == seconds * FRAME_RATE
    assert near(colour_at(mp4, 2.0, 640, 360), RED)
    assert near(colour_at(mp4, 12.0, 640, 360), BLUE)
    assert near(colour_at(mp4, 23.5, 640, 360), RED)


def test_a_placement_shown_hundreds_of_times_is_still_one_valid_select(tmp_path):
    # A long meeting's selector: one camera shown in 400 separate stretches. ffmpeg refuses a flat sum
    # of that many terms; the expression must still parse and pick exactly those frames.
    shown = [(n * 0.4, n * 0.4 + 0.2) for n in range(400)]  # 5 frames of every 10
    expression = recording_media.during(shown)
    picked = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi",
                             "-i", f"color=s=32x32:r={FRAME_RATE}:d=160", "-vf", f"select='{expression}'",
                             "-f", "framecrc", "-"], capture_output=True, text=True, check=True).stdout
    assert sum(1 for line in picked.splitlines() if line.startswith("0,")) == 400 * 5
