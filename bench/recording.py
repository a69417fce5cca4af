"""Benchmark: composing a recording's MP4 in each layout.

Makes the tracks janus-pp-rec would give the composer for a --minutes long (default 10) conference
of --people (default 4) participants: each a 640×360 25 fps VP8 camera and an Opus voice, speaking
in turn (5 s each in every 20 s, so `selector` switches 12 times a minute), plus a 1280×720 5 fps VP8
screen share by the first person. Then, for each layout, times `recording_media.compose_mp4` (the
loudness analysis for the selector layouts, the ffmpeg graph, H.264 veryfast + AAC) and prints:

  * wall-clock seconds of composition per second of recording (× real time), and the CPU seconds
    (user + system, all cores) of the ffmpeg processes per second of recording: on a shared
    machine the CPU figure is the steadier one;
  * the peak memory (RSS) of the ffmpeg process;
  * the ratio against the baseline measured in the same run: ffmpeg remuxing the same inputs
    into one Matroska file without re-encoding (`-c copy`: reading and writing the bytes);
  * the output size (MB, and MB per minute of recording).

The janus-pp-rec step (.mjr → WebM/Ogg, also a remux) and the thumbnail/preview are not included.

    bin/dev bench bench/recording.py [--minutes 10] [--people 4] [--layouts mosaic,selector]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

LOOP_SECONDS = 20  # 20 s are encoded, then repeated (stream copy) to the wanted length


def cpu_seconds() -> float:
    """User + system time of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args], check=True)


def make_inputs(folder: Path, minutes: int, people: int) -> list[tuple[str, Path, str, bool]]:
    """[(kind, path, participant, screen)] of `minutes` each."""
    loops = str(max(0, round(minutes * 60 / LOOP_SECONDS) - 1))
    made = []

    def lengthen(one: Path, name: str) -> Path:
        full = folder / name
        ffmpeg("-stream_loop", loops, "-i", str(one), "-c", "copy", str(full))
        one.unlink()
        return full

    for k in range(people):
        camera = folder / f"p{k}-camera-1min.webm"
        ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={LOOP_SECONDS}",
               "-vf", f"hue=h={k * 90}", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8",
               "-b:v", "600k", "-g", "250", str(camera))
        made.append(("video", lengthen(camera, f"p{k}-camera.webm"), f"p{k}", False))
        voice = folder / f"p{k}-voice-1min.opus"
        turn = LOOP_SECONDS / people
        speaking = f"between(t\\,{turn * k:.2f}\\,{turn * (k + 1):.2f})"
        ffmpeg("-f", "lavfi", "-i", f"aevalsrc=0.25*sin(2*PI*{200 + 70 * k}*t)*{speaking}:s=48000:d={LOOP_SECONDS}",
               "-c:a", "libopus", "-b:a", "32k", str(voice))
        made.append(("audio", lengthen(voice, f"p{k}-voice.opus"), f"p{k}", False))
    screen = folder / "p0-screen-1min.webm"
    ffmpeg("-f", "lavfi", "-i", f"testsrc=size=1280x720:rate=5:duration={LOOP_SECONDS}",
           "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "800k", "-g", "50", str(screen))
    made.append(("video", lengthen(screen, "p0-screen.webm"), "p0", True))
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--people", type=int, default=4)
    parser.add_argument("--layouts", default="mosaic,selector,presenting_mosaic,presenting_selector")
    args = parser.parse_args()

    import django

    django.setup()
    from mind.engine import recording_media

    with tempfile.TemporaryDirectory(prefix="bench-recording-") as work:
        folder = Path(work)
        started = time.perf_counter()
        inputs = make_inputs(folder, args.minutes, args.people)
        print(f"inputs: {args.people} cameras 640x360@25 VP8 + Opus voices, 1 screen 1280x720@5 VP8, "
              f"{args.minutes} min (made in {time.perf_counter() - started:.0f} s)")
        tracks = [recording_media.Track(kind, path, 0, participant_id=who, screen=screen)
                  for kind, path, who, screen in inputs]
        seconds = recording_media.media_seconds(inputs[0][1])

        remux = folder / "remux.mkv"
        command = ["ffmpeg", "-nostdin", "-y", "-loglevel", "error"]
        for _, path, _, _ in inputs:
            command += ["-i", str(path)]
        for index in range(len(inputs)):
            command += ["-map", str(index)]
        started = time.perf_counter()
        subprocess.run([*command, "-c", "copy", str(remux)], check=True)
        baseline = time.perf_counter() - started
        print(f"recording length {seconds:.0f} s; baseline (remux, -c copy): {baseline:.2f} s "
              f"= {baseline / seconds:.4f}x real time, {remux.stat().st_size / 1e6:.1f} MB")
        print(f"{'layout':<22}{'seconds':>9}{'x real time':>13}{'x baseline':>12}{'CPU s/s':>9}"
              f"{'max RSS MB':>12}{'MB':>8}{'MB/min':>8}")
        for layout in args.layouts.split(","):
            target = folder / f"{layout}.mp4"
            cpu_before = cpu_seconds()
            started = time.perf_counter()
            recording_media.compose_mp4(tracks, target, [(0, layout)])
            took = time.perf_counter() - started
            cpu = cpu_seconds() - cpu_before
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            size = target.stat().st_size / 1e6
            print(f"{layout:<22}{took:>9.1f}{took / seconds:>13.3f}{took / baseline:>12.1f}{cpu / seconds:>9.3f}"
                  f"{peak:>12.0f}{size:>8.1f}{size / (seconds / 60):>8.2f}")
            target.unlink()


if __name__ == "__main__":
    main()
