"""Who is speaking when, from the recorded audio (for the `selector` layouts of a recording).

`levels()` measures one audio file's loudness every 100 ms with ffmpeg (`astats`, RMS in dBFS);
`speaker_changes()` turns the levels of every participant into a step function
[(second, participantId)]:

- the levels are smoothed over half a second, so the gaps between words do not count as silence;
- a participant speaks when their smoothed level is above -45 dBFS (speech is around -30..-15,
  a quiet room's microphone well below -50); the loudest speaker is the candidate;
- the first person to speak is shown at once; after that, someone else is shown only once they
  have been the loudest for `HOLD_SECONDS` (1 s) of speech, so a cough or a short "yes" does not
  flicker the picture; silence keeps whoever was shown;
- because the recording is composed after the fact, a switch is dated from the moment the new
  speaker started to lead, not 1 s later.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

WINDOW_SECONDS = 0.1
SMOOTHING_WINDOWS = 5  # 0.5 s, centred
SPEECH_DBFS = -45.0
HOLD_SECONDS = 1.0
RATE = 8000  # loudness needs no more
COMMAND_TIMEOUT = 1800


class LevelError(Exception):
    pass


def levels(path: Path) -> list[float]:
    """Mean power (linear, full scale = 1) of each 100 ms of the file, from its first sample."""
    samples = round(RATE * WINDOW_SECONDS)
    graph = (f"aresample={RATE}:async=1:first_pts=0,aformat=channel_layouts=mono,asetnsamples=n={samples}:p=1,"
             "astats=metadata=1:reset=1:measure_overall=RMS_level:measure_perchannel=none,"
             "ametadata=mode=print:key=lavfi.astats.Overall.RMS_level:file=-")
    try:
        result = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(path), "-af", graph,
                                 "-f", "null", "-"], capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LevelError(f"ffmpeg failed: {exc}") from exc
    if result.returncode != 0:
        raise LevelError(f"ffmpeg exited with {result.returncode}: {result.stderr.strip()[-400:]}")
    powers = []
    for line in result.stdout.splitlines():
        if line.startswith("lavfi.astats.Overall.RMS_level="):
            value = line.partition("=")[2].strip()
            try:
                dbfs = float(value)
            except ValueError:
                dbfs = -math.inf
            powers.append(0.0 if math.isinf(dbfs) or math.isnan(dbfs) else 10 ** (dbfs / 10))
    return powers


def place(powers: list[float], offset_seconds: float, into: list[float]) -> list[float]:
    """Adds a file's powers to a participant's timeline (list of powers from second 0)."""
    first = max(0, round(offset_seconds / WINDOW_SECONDS))
    if len(into) < first + len(powers):
        into.extend([0.0] * (first + len(powers) - len(into)))
    for index, power in enumerate(powers):
        into[first + index] += power
    return into


def _smoothed(powers: list[float], length: int) -> list[float]:
    half = SMOOTHING_WINDOWS // 2
    padded = powers + [0.0] * (length - len(powers))
    out = []
    for index in range(length):
        window = padded[max(0, index - half):index + half + 1]
        out.append(sum(window) / len(window))
    return out


def speaker_changes(timelines: dict[str, list[float]]) -> list[tuple[float, str]]:
    """[(second, participantId)] whenever the person to show changes (see the module docstring)."""
    length = max((len(p) for p in timelines.values()), default=0)
    people = sorted(timelines)
    smoothed = {person: _smoothed(timelines[person], length) for person in people}
    threshold = 10 ** (SPEECH_DBFS / 10)
    hold = round(HOLD_SECONDS / WINDOW_SECONDS)
    changes: list[tuple[float, str]] = []
    current = candidate = None
    run_start = run_windows = 0
    for index in range(length):
        level, loudest = max(((smoothed[p][index], p) for p in people), default=(0.0, None))
        if loudest is None or level < threshold:
            continue  # silence keeps whoever is shown, and does not end a candidate's run
        if loudest == current:
            candidate = None
            continue
        if current is None:
            current = loudest
            changes.append((round(index * WINDOW_SECONDS, 3), loudest))
            continue
        if loudest != candidate:
            candidate, run_start, run_windows = loudest, index, 0
        run_windows += 1
        if run_windows >= hold:
            current, candidate = loudest, None
            changes.append((round(run_start * WINDOW_SECONDS, 3), loudest))
    return changes
