"""Where each recorded video goes in the composed recording, for each layout of the Mind API.

Pure geometry, no media: `plan()` takes the recorded video sources (whose, camera or screen, from
when to when on the recording's timeline), the conference's layout over time and the active
speaker over time, and returns placements: which source is drawn in which rectangle of the
1280×720 canvas during which intervals. `mind.engine.recording_media` turns the placements into
an ffmpeg filter graph. Every picture keeps its aspect ratio, letterboxed in black in its rectangle.

- `mosaic`: every video (cameras and screen shares) in a grid of ceil(√n) columns and as many rows
  as needed, in the order people first appeared (a person's camera before their screen). The grid
  is rebuilt when someone starts or stops publishing.
- `selector`: the active speaker's camera fills the frame. Between phrases, and while the speaker
  has no camera, the last person shown stays; before anyone has spoken, the first camera.
- `presenting_mosaic`: the latest screen share fills the main area (the left 960×720); every camera
  is stacked in the column on its right (320 wide, tiles 320×180, smaller beyond four cameras).
- `presenting_selector`: the screen share in the main area, the active speaker's camera alone at the
  top of the right column.
- A `presenting_*` layout with no screen share being published looks like its non-presenting
  variant (`mosaic`, `selector`) until a share starts.

The layout can change during the recording: each change applies from its moment on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

CANVAS_WIDTH, CANVAS_HEIGHT = 1280, 720
MAIN_WIDTH = 960  # the presenting layouts' main area: the left 960×720 (4:3 screens fill it)
STRIP_WIDTH = CANVAS_WIDTH - MAIN_WIDTH
STRIP_TILE_HEIGHT = 180  # 16:9 at the strip's width; more than four cameras share the height

MOSAIC, SELECTOR = "mosaic", "selector"
PRESENTING_MOSAIC, PRESENTING_SELECTOR = "presenting_mosaic", "presenting_selector"
LAYOUTS = (MOSAIC, SELECTOR, PRESENTING_MOSAIC, PRESENTING_SELECTOR)


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class VideoSource:
    """One recorded video stream on the recording's timeline (seconds from its start)."""

    participant_id: str
    screen: bool  # the participant's secondary media (a screen share), else their camera
    start: float
    end: float


@dataclass
class Placement:
    source: int  # index into the sources given to plan()
    rect: Rect
    intervals: list[tuple[float, float]]  # [start, end) seconds on the recording's timeline


def _even(value: float) -> int:
    return int(value) // 2 * 2  # H.264 in yuv420p wants even sizes


def grid(count: int, area: Rect) -> list[Rect]:
    """`count` equal tiles in ceil(√count) columns filling `area` row by row, the grid centred."""
    if count == 0:
        return []
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    tile_w, tile_h = _even(area.width / columns), _even(area.height / rows)
    used_columns = min(columns, count)
    left = area.x + _even((area.width - used_columns * tile_w) / 2)
    top = area.y + _even((area.height - rows * tile_h) / 2)
    return [Rect(left + (i % columns) * tile_w, top + (i // columns) * tile_h, tile_w, tile_h) for i in range(count)]


def strip(count: int) -> list[Rect]:
    """The presenting layouts' right-hand column: `count` tiles from the top."""
    if count == 0:
        return []
    tile_h = min(STRIP_TILE_HEIGHT, _even(CANVAS_HEIGHT / count))
    return [Rect(MAIN_WIDTH, i * tile_h, STRIP_WIDTH, tile_h) for i in range(count)]


FULL_FRAME = Rect(0, 0, CANVAS_WIDTH, CANVAS_HEIGHT)
MAIN_AREA = Rect(0, 0, MAIN_WIDTH, CANVAS_HEIGHT)


def _at(changes: Sequence[tuple[float, object]], t: float, before):
    """The value of a step function given as [(from, value)] (sorted) at time t; `before` until
    its first change."""
    value = before
    for start, changed_to in changes:
        if start > t:
            break
        value = changed_to
    return value


def _shown_camera(cameras: list[int], sources: list[VideoSource], speaker: str | None, last: str | None) -> int | None:
    by_person = {sources[i].participant_id: i for i in cameras}
    for person in (speaker, last):
        if person in by_person:
            return by_person[person]
    return cameras[0] if cameras else None


def plan(sources: list[VideoSource], layouts: list[tuple[float, str]], speakers: Sequence[tuple[float, str | None]],
         duration: float) -> list[Placement]:
    """Placements of `sources` over [0, duration): `layouts` and `speakers` are step functions
    [(from second, layout or participant id)], sorted; before the first layout change, the first
    layout applies."""
    first_seen: dict[str, float] = {}
    for source in sorted(sources, key=lambda s: s.start):
        first_seen.setdefault(source.participant_id, source.start)
    order = sorted(range(len(sources)), key=lambda i: (first_seen[sources[i].participant_id],
                                                        sources[i].participant_id, sources[i].screen, sources[i].start))
    cuts = {0.0, duration}
    cuts.update(t for s in sources for t in (s.start, s.end))
    cuts.update(t for t, _ in layouts)
    cuts.update(t for t, _ in speakers)
    times = sorted(t for t in cuts if 0 <= t <= duration)

    placed: dict[tuple[int, Rect], list[tuple[float, float]]] = {}
    last_shown: str | None = None
    for start, end in zip(times, times[1:], strict=False):
        if end - start <= 1e-6:
            continue
        middle = (start + end) / 2
        live = [i for i in order if sources[i].start <= middle < sources[i].end]
        cameras = [i for i in live if not sources[i].screen]
        screens = sorted((i for i in live if sources[i].screen), key=lambda i: sources[i].start)
        layout = _at(layouts, middle, layouts[0][1] if layouts else MOSAIC)
        speaker = _at(speakers, middle, None)
        shown = _shown_camera(cameras, sources, speaker, last_shown)
        if layout in (PRESENTING_MOSAIC, PRESENTING_SELECTOR) and screens:
            beside = cameras if layout == PRESENTING_MOSAIC else [shown] if shown is not None else []
            scene = [(screens[-1], MAIN_AREA), *zip(beside, strip(len(beside)), strict=True)]
        elif layout in (SELECTOR, PRESENTING_SELECTOR):
            pick = shown if shown is not None else (screens[-1] if screens else None)
            scene = [(pick, FULL_FRAME)] if pick is not None else []
        else:
            scene = list(zip(live, grid(len(live), FULL_FRAME), strict=True))
        if shown is not None and layout in (SELECTOR, PRESENTING_SELECTOR):
            last_shown = sources[shown].participant_id
        for index, rect in scene:
            intervals = placed.setdefault((index, rect), [])
            if intervals and abs(intervals[-1][1] - start) < 1e-6:
                intervals[-1] = (intervals[-1][0], end)
            else:
                intervals.append((start, end))
    return [Placement(source, rect, intervals) for (source, rect), intervals in placed.items()]
