"""Composes a conference recording from the Janus .mjr files, as the Mind API serves it.

Janus writes one .mjr file per published stream into `mind.engine.rooms.recordings_dir(conference)`
(named `<participantId>-<primary|secondary>-<startedMs>-<audio|video|data>-<mindex>.mjr`). After the
recording stops, a worker (`mind.tasks.compose_recording`):

1. turns each file into a playable track with `janus-pp-rec` (no transcoding: VP8/VP9 → WebM,
   H.264 → MKV, Opus → Ogg), reading its start time from the .mjr header;
2. composes them with ffmpeg into one MP4 (H.264 + AAC): every video track in a mosaic grid, each
   placed at its own start time; every audio track mixed;
3. takes a JPEG thumbnail (one frame from the middle) and a WebP preview: a few frames spread over
   the recording, each a quarter of the width and height (one-sixteenth of the area), stacked on
   top of each other.

Files are written under a temporary name and renamed into place, so readers never see half a file.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CANVAS_WIDTH, CANVAS_HEIGHT, FRAME_RATE = 1280, 720, 25
PREVIEW_FRAMES = 4
COMMAND_TIMEOUT = 1800  # seconds; a long meeting takes a while to encode

VIDEO_CONTAINERS = {"vp8": "webm", "vp9": "webm", "av1": "mkv", "h264": "mkv", "h265": "mkv"}
AUDIO_CONTAINERS = {"opus": "opus", "multiopus": "opus", "pcma": "wav", "pcmu": "wav", "g722": "wav"}


class CompositionError(Exception):
    pass


@dataclass
class Track:
    kind: str  # "audio" | "video"
    path: Path
    start_us: int  # wall-clock time of the first packet, microseconds


def _run(args: list[str]) -> str:
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CompositionError(f"{args[0]} failed: {exc}") from exc
    if result.returncode != 0:
        raise CompositionError(f"{args[0]} exited with {result.returncode}: {result.stderr.strip()[-800:]}")
    return result.stdout


def mjr_header(path: Path) -> dict:
    """The JSON header Janus wrote at the top of a .mjr file (`t` type, `c` codec, `s`/`u` times)."""
    output = _run(["janus-pp-rec", "--json", "--disable-colors", "--debug-level", "0", str(path)])
    try:
        return json.loads(output.strip().splitlines()[-1])
    except (ValueError, IndexError) as exc:
        raise CompositionError(f"{path.name}: no .mjr header ({output[:200]!r})") from exc


def extract_tracks(mjr_files: list[Path], work_dir: Path) -> list[Track]:
    tracks = []
    for index, mjr in enumerate(sorted(mjr_files)):
        header = mjr_header(mjr)
        codec = str(header.get("c", "")).lower()
        kind = {"v": "video", "a": "audio"}.get(header.get("t"))
        container = (VIDEO_CONTAINERS if kind == "video" else AUDIO_CONTAINERS).get(codec) if kind else None
        if container is None:
            continue  # data channels, or a codec we cannot play
        target = work_dir / f"{index}-{kind}.{container}"
        _run(["janus-pp-rec", "--disable-colors", "--debug-level", "0", str(mjr), str(target)])
        if target.exists() and target.stat().st_size > 0:
            tracks.append(Track(kind, target, int(header.get("u") or header.get("s") or 0)))
    return tracks


def _grid(count: int) -> tuple[int, int]:
    columns = math.ceil(math.sqrt(count))
    return columns, math.ceil(count / columns)


def compose_mp4(tracks: list[Track], target: Path) -> None:
    videos = [t for t in tracks if t.kind == "video"]
    audios = [t for t in tracks if t.kind == "audio"]
    if not tracks:
        raise CompositionError("nothing was recorded")
    origin = min(t.start_us for t in tracks)
    args = ["ffmpeg", "-nostdin", "-y", "-loglevel", "error"]
    for track in videos + audios:
        args += ["-i", str(track.path)]
    filters, maps = [], []
    if videos:
        columns, rows = _grid(len(videos))
        tile_w, tile_h = (CANVAS_WIDTH // columns) // 2 * 2, (CANVAS_HEIGHT // rows) // 2 * 2
        labels, layout = [], []
        for index, track in enumerate(videos):
            delay = (track.start_us - origin) / 1e6
            filters.append(
                f"[{index}:v]fps={FRAME_RATE},scale={tile_w}:{tile_h}:force_original_aspect_ratio=decrease,"
                f"pad={tile_w}:{tile_h}:(ow-iw)/2:(oh-ih)/2,setsar=1,setpts=PTS-STARTPTS,"
                f"tpad=start_duration={delay:.3f}:start_mode=add:color=black[v{index}]"
            )
            labels.append(f"[v{index}]")
            layout.append(f"{(index % columns) * tile_w}_{(index // columns) * tile_h}")
        if len(videos) == 1:
            filters.append(f"{labels[0]}pad={CANVAS_WIDTH}:{CANVAS_HEIGHT}:(ow-iw)/2:(oh-ih)/2[grid]")
        else:
            filters.append(f"{''.join(labels)}xstack=inputs={len(videos)}:layout={'|'.join(layout)}:fill=black[stack]")
            filters.append(f"[stack]pad={CANVAS_WIDTH}:{CANVAS_HEIGHT}:(ow-iw)/2:(oh-ih)/2[grid]")
        maps += ["-map", "[grid]"]
    if audios:
        labels = []
        for offset, track in enumerate(audios):
            index = len(videos) + offset
            delay_ms = max(0, round((track.start_us - origin) / 1000))
            filters.append(f"[{index}:a]aresample=48000,adelay={delay_ms}:all=1[a{offset}]")
            labels.append(f"[a{offset}]")
        filters.append(f"{''.join(labels)}amix=inputs={len(audios)}:duration=longest:normalize=0[mix]")
        maps += ["-map", "[mix]"]
    if not videos:  # audio only: a black picture, so the MP4 still has video as the API promises
        args += ["-f", "lavfi", "-i", f"color=black:s={CANVAS_WIDTH}x{CANVAS_HEIGHT}:r={FRAME_RATE}"]
        maps += ["-map", f"{len(audios)}:v", "-shortest"]
    args += ["-filter_complex", ";".join(filters), *maps,
             "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-r", str(FRAME_RATE)]
    if audios:
        args += ["-c:a", "aac", "-b:a", "128k"]
    args += ["-movflags", "+faststart", "-f", "mp4", str(target)]
    _run(args)


def duration_seconds(path: Path) -> float:
    output = _run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)])
    try:
        return float(json.loads(output)["format"]["duration"])
    except (KeyError, ValueError, TypeError):
        return 0.0


def make_thumbnail(mp4: Path, target: Path) -> None:
    middle = duration_seconds(mp4) / 2
    _run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-ss", f"{middle:.3f}", "-i", str(mp4),
          "-frames:v", "1", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", str(target)])


def make_preview(mp4: Path, target: Path) -> None:
    duration = duration_seconds(mp4)
    count = PREVIEW_FRAMES if duration > 0 else 1
    args = ["ffmpeg", "-nostdin", "-y", "-loglevel", "error"]
    for n in range(count):
        args += ["-ss", f"{duration * (n + 0.5) / count:.3f}", "-i", str(mp4)]
    filters = [f"[{n}:v]trim=end_frame=1,scale=iw/4:ih/4,setsar=1[f{n}]" for n in range(count)]
    if count > 1:
        filters.append(f"{''.join(f'[f{n}]' for n in range(count))}vstack=inputs={count}[out]")
    else:
        filters.append("[f0]null[out]")
    args += ["-filter_complex", ";".join(filters), "-map", "[out]", "-frames:v", "1",
             "-c:v", "libwebp", "-quality", "75", "-f", "webp", str(target)]
    _run(args)


def compose(mjr_dir: Path, output_dir: Path, names: dict[str, str]) -> None:
    """Writes names["video/mp4"], names["image/jpeg"] and names["image/webp"] into output_dir."""
    mjr_files = sorted(mjr_dir.glob("*.mjr")) if mjr_dir.is_dir() else []
    if not mjr_files:
        raise CompositionError("nothing was recorded")
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".compose-", dir=output_dir) as work:
        work_dir = Path(work)
        tracks = extract_tracks(mjr_files, work_dir)
        mp4 = work_dir / "out.mp4"
        compose_mp4(tracks, mp4)
        jpeg, webp = work_dir / "out.jpg", work_dir / "out.webp"
        make_thumbnail(mp4, jpeg)
        make_preview(mp4, webp)
        # Same filesystem (the work dir is inside output_dir): each rename is atomic.
        for made, content_type in ((mp4, "video/mp4"), (jpeg, "image/jpeg"), (webp, "image/webp")):
            os.replace(made, output_dir / names[content_type])


def remove(output_dir: Path) -> None:
    shutil.rmtree(output_dir, ignore_errors=True)
