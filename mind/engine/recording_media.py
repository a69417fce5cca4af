"""Composes a conference recording from the Janus .mjr files, as the Mind API serves it.

Janus writes one .mjr file per published stream into `mind.engine.rooms.recordings_dir(conference)`
(named `<participantId>-<primary|secondary>-<startedMs>-<audio|video|data>-<mindex>.mjr`). After the
recording stops, a worker (`mind.tasks.compose_recording`):

1. turns each file into a playable track with `janus-pp-rec` (no transcoding: VP8/VP9 → WebM,
   H.264 → MKV, Opus → Ogg), reading its start time from the .mjr header;
2. composes them with ffmpeg into one 1280×720 MP4 (H.264 + AAC): each video track placed at its
   own start time where the conference's layout puts it (`mind.engine.recording_layouts`: mosaic,
   selector, presenting_mosaic, presenting_selector; a layout change during the recording applies
   from its moment), the active speaker found from the recorded voices
   (`mind.engine.active_speaker`); every audio track mixed;
3. takes a JPEG thumbnail (one frame from the middle) and a WebP preview: a few frames spread over
   the recording, each a quarter of the width and height (one-sixteenth of the area), stacked on
   top of each other.

Files are written under a temporary name and renamed into place, so readers never see half a file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mind.engine import active_speaker
from mind.engine import recording_layouts as layouts
from mind.engine.recording_layouts import CANVAS_HEIGHT, CANVAS_WIDTH

FRAME_RATE = 25
PREVIEW_FRAMES = 4
# veryfast with the cheapest motion search (diamond, one subpixel pass): a quarter less CPU than
# veryfast alone for 11 % larger files on the benchmark; superfast saves the same CPU but gives
# files 2.5 times larger (it also drops macroblock-tree rate control).
X264_PARAMS = "me=dia:subme=1"
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
    participant_id: str = ""
    screen: bool = False  # the participant's secondary media (screen share)


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


MJR_NAME = re.compile(r"^(?P<participant>.+)-(?P<media>primary|secondary)-\d+-(?:audio|video|data)-\d+\.mjr$")


def extract_tracks(mjr_files: list[Path], work_dir: Path) -> list[Track]:
    tracks = []
    for index, mjr in enumerate(sorted(mjr_files)):
        header = mjr_header(mjr)
        codec = str(header.get("c", "")).lower()
        kind = {"v": "video", "a": "audio"}.get(header.get("t", ""))
        container = (VIDEO_CONTAINERS if kind == "video" else AUDIO_CONTAINERS).get(codec) if kind else None
        if kind is None or container is None:
            continue  # data channels, or a codec we cannot play
        target = work_dir / f"{index}-{kind}.{container}"
        _run(["janus-pp-rec", "--disable-colors", "--debug-level", "0", str(mjr), str(target)])
        if target.exists() and target.stat().st_size > 0:
            name = MJR_NAME.match(mjr.name)
            tracks.append(Track(kind, target, int(header.get("u") or header.get("s") or 0),
                                participant_id=name["participant"] if name else mjr.stem,
                                screen=name is not None and name["media"] == "secondary"))
    return tracks


def media_seconds(path: Path) -> float:
    """How long a track plays: the container's duration, else the end of its last packet."""
    duration = duration_seconds(path)
    if duration > 0:
        return duration
    output = _run(["ffprobe", "-v", "error", "-select_streams", "0", "-show_entries", "packet=pts_time,duration_time",
                   "-of", "csv=p=0", str(path)])
    end = 0.0
    for line in output.splitlines():
        parts = line.split(",")
        try:
            end = max(end, float(parts[0]) + (float(parts[1]) if len(parts) > 1 and parts[1] else 0.0))
        except ValueError:
            continue
    return end


def layout_timeline(changes: list[tuple[int, str]], origin_us: int) -> list[tuple[float, str]]:
    """[(epoch ms, layout)] → [(second on the recording's timeline, layout)], sorted; the first
    layout also covers anything recorded before it was set."""
    timeline = sorted(((at_ms * 1000 - origin_us) / 1e6, layout) for at_ms, layout in changes)
    return [(max(0.0, at), layout) for at, layout in timeline] or [(0.0, layouts.MOSAIC)]


def active_speakers(audios: list[Track], origin_us: int) -> list[tuple[float, str]]:
    """The selector's step function [(second, participantId)] from everyone's own voice (camera
    microphone, not screen audio)."""
    timelines: dict[str, list[float]] = {}
    for track in audios:
        if not track.screen:
            try:
                powers = active_speaker.levels(track.path)
            except active_speaker.LevelError as exc:
                raise CompositionError(f"{track.path.name}: {exc}") from exc
            active_speaker.place(powers, (track.start_us - origin_us) / 1e6, timelines.setdefault(track.participant_id, []))
    return active_speaker.speaker_changes(timelines)


def _stretches(placements: list[layouts.Placement], frames: int) -> list[tuple[int, int, list[layouts.Placement]]]:
    """The recording cut where the picture's composition changes: [(first frame, end frame,
    placements shown)], frame numbers at FRAME_RATE, covering [0, frames)."""
    cuts = {0, frames}
    for placement in placements:
        for start, end in placement.intervals:
            cuts.update((round(start * FRAME_RATE), round(end * FRAME_RATE)))
    edges = sorted(c for c in cuts if 0 <= c <= frames)
    stretches = []
    for first, end in zip(edges, edges[1:], strict=False):
        middle = (first + end) / 2 / FRAME_RATE
        shown = [p for p in placements if any(a <= middle < b for a, b in p.intervals)]
        stretches.append((first, end, shown))
    return stretches


def during(intervals: list[tuple[float, float]]) -> str:
    """An ffmpeg expression true while t is in one of the [start, end) intervals. Touching intervals
    are merged, and the terms are added as a balanced tree: ffmpeg's expression parser refuses a
    flat sum of more than about a hundred terms (a long meeting's speaker switches)."""
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + 1e-6:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])

    def tree(terms: list[list[float]]) -> str:
        if len(terms) == 1:
            return f"gte(t,{terms[0][0]:.3f})*lt(t,{terms[0][1]:.3f})"
        middle = len(terms) // 2
        return f"({tree(terms[:middle])}+{tree(terms[middle:])})"

    return tree(merged) if merged else "0"


def _split(source: str, labels: list[str]) -> str:
    """`source` (a chain) sent to every label: split only when there are several."""
    if len(labels) == 1:
        return f"{source}[{labels[0]}]"
    return f"{source},split={len(labels)}{''.join(f'[{label}]' for label in labels)}"


def _video_graph(placements: list[layouts.Placement], sources: list[Track], starts: list[float],
                 inputs: dict[int, int], duration: float) -> tuple[list[str], str]:
    """The filter graph drawing the placements, without overlaying tiles on a canvas frame by frame.

    The recording is cut into stretches of constant composition (frame numbers at FRAME_RATE).
    Each distinct scene (the placements shown together) is drawn once: its tiles side by side
    (`xstack`, plain copies) on black, fed only the frames of the stretches that show it. Each
    stretch takes its slice of its scene, and the slices are concatenated. Each placement (a source
    in one rectangle) is scaled once: a camera only on the frames it is shown; a screen share
    before its frames are repeated up to FRAME_RATE (it sends few). A selector switching every
    few seconds so adds slices, which hold no frame buffers, not scalers or scenes.

    Every source is made constant-rate (`fps`) and covers the whole recording (`tpad` repeats its
    first frame before it starts and its last after it ends: only edge frames are ever shown), so
    a scene has exactly one frame per frame number of its stretches and a slice ends at its frame
    count without waiting for the scene's next stretch. (A `tpad` per slice would hold a frame
    buffer per slice: a long meeting's memory.)"""
    frames = max(1, round(duration * FRAME_RATE))
    stretches = _stretches(placements, frames)
    index = {id(p): n for n, p in enumerate(placements)}
    scenes: dict[tuple[int, ...], list[int]] = {}  # placements shown together → their stretches
    shown_in: dict[int, list[int]] = {}  # placement → its stretches
    for number, (_, _, shown) in enumerate(stretches):
        if shown:
            scenes.setdefault(tuple(index[id(p)] for p in shown), []).append(number)
        for placement in shown:
            shown_in.setdefault(index[id(placement)], []).append(number)

    def frames_of(numbers: list[int]) -> str:
        # Half a frame's margin each side: the frames are on the FRAME_RATE grid.
        return "select='" + during([((stretches[n][0] - 0.5) / FRAME_RATE, (stretches[n][1] - 0.5) / FRAME_RATE)
                                     for n in numbers]) + "'"

    uses: dict[int, list[str]] = {}  # placement → its copies, one per scene
    for scene, key in enumerate(scenes):
        for tile in key:
            uses.setdefault(tile, []).append(f"c{scene}_{tile}")
    filters = []
    by_source: dict[int, list[int]] = {}
    for tile in uses:
        by_source.setdefault(placements[tile].source, []).append(tile)
    for source, tiles in by_source.items():
        timed = f"[{inputs[source]}:v]setpts=PTS-STARTPTS"
        constant = (f"fps={FRAME_RATE},tpad=start={round(starts[source] * FRAME_RATE)}:start_mode=clone:"
                    f"stop={frames}:stop_mode=clone")
        copies = [f"s{source}_{tile}" for tile in tiles]
        screen = sources[source].screen
        filters.append(_split(timed if screen else f"{timed},{constant}", copies))
        for copy, tile in zip(copies, tiles, strict=True):
            rect = placements[tile].rect
            fit = (f"scale={rect.width}:{rect.height}:force_original_aspect_ratio=decrease,"
                   f"pad={rect.width}:{rect.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p")
            chain = (f"{fit},{constant},{frames_of(shown_in[tile])}" if screen
                     else f"{frames_of(shown_in[tile])},{fit}")
            filters.append(_split(f"[{copy}]{chain}", uses[tile]))
    canvas = f"pad={CANVAS_WIDTH}:{CANVAS_HEIGHT}"
    for scene, (key, numbers) in enumerate(scenes.items()):
        parts = [(f"c{scene}_{tile}", placements[tile].rect) for tile in key]
        if len(parts) == 1:
            (label, rect), = parts
            drawn = f"[{label}]{frames_of(numbers)},{canvas}:{rect.x}:{rect.y}:black"
        else:
            filters.extend(f"[{label}]{frames_of(numbers)}[{label}s]" for label, _ in parts)
            grid = "|".join(f"{rect.x}_{rect.y}" for _, rect in parts)
            drawn = (f"{''.join(f'[{label}s]' for label, _ in parts)}xstack=inputs={len(parts)}:layout={grid}"
                     f":fill=black,{canvas}:0:0:black")
        filters.append(_split(drawn, [f"d{n}" for n in numbers]))
    segments = []
    for number, (first, end, shown) in enumerate(stretches):
        count = end - first
        if shown:
            filters.append(f"[d{number}]trim=start={(first - 0.5) / FRAME_RATE:.3f},"
                           f"setpts=PTS-{first / FRAME_RATE:.3f}/TB,trim=end_frame={count}[v{number}]")
        else:
            filters.append(f"color=c=black:s={CANVAS_WIDTH}x{CANVAS_HEIGHT}:r={FRAME_RATE},format=yuv420p,"
                           f"trim=end_frame={count}[v{number}]")
        segments.append(f"[v{number}]")
    if len(segments) == 1:
        return filters, segments[0][1:-1]
    filters.append(f"{''.join(segments)}concat=n={len(segments)}:v=1:a=0[video]")
    return filters, "video"


def compose_mp4(tracks: list[Track], target: Path, layout_changes: list[tuple[int, str]] | None = None) -> None:
    """The MP4: the videos placed as the layout says (`recording_layouts`), all audio mixed.

    `layout_changes` is [(epoch ms, layout)], the conference's layout over the recording (mosaic
    when not given)."""
    videos = [t for t in tracks if t.kind == "video"]
    audios = [t for t in tracks if t.kind == "audio"]
    if not tracks:
        raise CompositionError("nothing was recorded")
    origin = min(t.start_us for t in tracks)
    offsets = {id(t): (t.start_us - origin) / 1e6 for t in tracks}
    ends = {id(t): offsets[id(t)] + media_seconds(t.path) for t in tracks}
    duration = max(ends.values())
    if duration <= 0:
        raise CompositionError("the recorded tracks are empty")
    timeline = layout_timeline(layout_changes or [], origin)
    wants_speaker = any(layout in (layouts.SELECTOR, layouts.PRESENTING_SELECTOR) for _, layout in timeline)
    speakers = active_speakers(audios, origin) if wants_speaker and len(videos) > 1 else []
    sources = [layouts.VideoSource(t.participant_id, t.screen, offsets[id(t)], ends[id(t)]) for t in videos]
    placements = layouts.plan(sources, timeline, speakers, duration)

    shown = sorted({p.source for p in placements})
    inputs = [videos[i] for i in shown] + audios
    args = ["ffmpeg", "-nostdin", "-y", "-loglevel", "error"]
    for track in inputs:
        args += ["-i", str(track.path)]
    filters, video = _video_graph(placements, videos, [s.start for s in sources],
                                  {source: position for position, source in enumerate(shown)}, duration)
    maps = ["-map", f"[{video}]"]
    if audios:
        labels = []
        for offset, track in enumerate(audios):
            index = len(shown) + offset
            delay_ms = max(0, round(offsets[id(track)] * 1000))
            filters.append(f"[{index}:a]aresample=48000,adelay={delay_ms}:all=1[a{offset}]")
            labels.append(f"[a{offset}]")
        filters.append(f"{''.join(labels)}amix=inputs={len(audios)}:duration=longest:normalize=0[mix]")
        maps += ["-map", "[mix]"]
    # A long meeting's switch times make a graph longer than one command-line argument may be.
    script = target.with_name(f".{target.name}.filtergraph")
    script.write_text(";".join(filters))
    args += ["-filter_complex_script", str(script), *maps,
             "-c:v", "libx264", "-preset", "veryfast", "-x264-params", X264_PARAMS,
             "-pix_fmt", "yuv420p", "-r", str(FRAME_RATE)]
    if audios:
        args += ["-c:a", "aac", "-b:a", "128k"]
    args += ["-movflags", "+faststart", "-f", "mp4", str(target)]
    try:
        _run(args)
    finally:
        script.unlink(missing_ok=True)


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


def compose(mjr_dir: Path, output_dir: Path, names: dict[str, str],
            layout_changes: list[tuple[int, str]] | None = None) -> None:
    """Writes names["video/mp4"], names["image/jpeg"] and names["image/webp"] into output_dir;
    `layout_changes`: the conference's layout over the recording, [(epoch ms, layout)]."""
    mjr_files = sorted(mjr_dir.glob("*.mjr")) if mjr_dir.is_dir() else []
    if not mjr_files:
        raise CompositionError("nothing was recorded")
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".compose-", dir=output_dir) as work:
        work_dir = Path(work)
        tracks = extract_tracks(mjr_files, work_dir)
        mp4 = work_dir / "out.mp4"
        compose_mp4(tracks, mp4, layout_changes)
        jpeg, webp = work_dir / "out.jpg", work_dir / "out.webp"
        make_thumbnail(mp4, jpeg)
        make_preview(mp4, webp)
        # Same filesystem (the work dir is inside output_dir): each rename is atomic.
        for made, content_type in ((mp4, "video/mp4"), (jpeg, "image/jpeg"), (webp, "image/webp")):
            os.replace(made, output_dir / names[content_type])


def remove(output_dir: Path) -> None:
    shutil.rmtree(output_dir, ignore_errors=True)
