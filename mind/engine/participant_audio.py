"""Each participant's recorded voice, from the .mjr files Janus wrote for the conference.

Janus names each stream's file `<participantId>-<primary|secondary>-<startedMs>-<audio|video|data>-
<mindex>.mjr` (`mind.engine.rooms.recording_basename`). A participant who republished (rejoin,
device change, pause/resume of the recording) has several primary audio files; they are placed at
their own start times (from each .mjr header) on one timeline that starts at the participant's
first packet. From that timeline we make:

- 16 kHz mono PCM for the recogniser (`decode_pcm`),
- an M4A (AAC) file for people and for the cloud recording's per-participant audio (`write_m4a`).

Screen-share (secondary) audio is not the participant's voice and is left out.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from mind.engine.recording_media import CompositionError, mjr_header
from mind.engine.stt import SAMPLE_RATE

COMMAND_TIMEOUT = 1800
NAME = re.compile(r"^(?P<participant>[0-9a-f-]{36})-primary-(?P<started>\d+)-audio-\d+\.mjr$")


class AudioError(Exception):
    pass


@dataclass(frozen=True)
class AudioFile:
    participant_id: str
    mjr: Path
    start_us: int = 0  # wall-clock time of the first packet (from the header)
    playable: Path | None = None  # the Ogg/Opus janus-pp-rec made of it


def _run(args: list[str]) -> bytes:
    try:
        result = subprocess.run(args, capture_output=True, timeout=COMMAND_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AudioError(f"{args[0]} failed: {exc}") from exc
    if result.returncode != 0:
        raise AudioError(f"{args[0]} exited with {result.returncode}: "
                         f"{result.stderr.decode(errors='replace').strip()[-600:]}")
    return result.stdout


def voice_files(mjr_dir: Path) -> dict[str, list[Path]]:
    """{participantId: [primary audio .mjr files]}, in a stable order."""
    found: dict[str, list[Path]] = {}
    if mjr_dir.is_dir():
        for path in sorted(mjr_dir.glob("*.mjr")):
            match = NAME.match(path.name)
            if match and path.stat().st_size > 0:
                found.setdefault(match["participant"], []).append(path)
    return found


def start_us(mjr: Path) -> int:
    """When the file's first packet was written (wall clock, µs), from its header."""
    try:
        header = mjr_header(mjr)
    except CompositionError as exc:
        raise AudioError(str(exc)) from exc
    return int(header.get("u") or header.get("s") or 0)


def extract(participant_id: str, mjr_files: list[Path], work_dir: Path) -> list[AudioFile]:
    """Each .mjr as Ogg/Opus with its start time (files without audio packets are dropped)."""
    files = []
    for index, mjr in enumerate(mjr_files):
        try:
            header = mjr_header(mjr)
        except CompositionError as exc:
            raise AudioError(str(exc)) from exc
        if header.get("t") != "a" or str(header.get("c", "")).lower() not in ("opus", "multiopus"):
            continue
        target = work_dir / f"{participant_id}-{index}.opus"
        _run(["janus-pp-rec", "--disable-colors", "--debug-level", "0", str(mjr), str(target)])
        if target.exists() and target.stat().st_size > 0:
            files.append(AudioFile(participant_id, mjr, int(header.get("u") or header.get("s") or 0), target))
    return files


def _timeline(files: list[AudioFile], origin_us: int) -> tuple[list[str], str]:
    """ffmpeg inputs and a filter graph placing every file at its time after origin_us → [voice]."""
    inputs, filters, labels = [], [], []
    for index, item in enumerate(files):
        inputs += ["-i", str(item.playable)]
        delay_ms = max(0, round((item.start_us - origin_us) / 1000))
        filters.append(f"[{index}:a]aresample=48000:async=1:first_pts=0,aformat=channel_layouts=mono,"
                       f"adelay={delay_ms}:all=1[a{index}]")
        labels.append(f"[a{index}]")
    if len(files) == 1:
        filters.append(f"{labels[0]}anull[voice]")
    else:
        filters.append(f"{''.join(labels)}amix=inputs={len(files)}:duration=longest:normalize=0[voice]")
    return inputs, ";".join(filters)


def decode_pcm(files: list[AudioFile], origin_us: int) -> bytes:
    """16 kHz mono s16le PCM of the participant's voice; sample 0 is origin_us."""
    inputs, graph = _timeline(files, origin_us)
    return _run(["ffmpeg", "-nostdin", "-loglevel", "error", *inputs, "-filter_complex", graph,
                 "-map", "[voice]", "-ar", str(SAMPLE_RATE), "-ac", "1", "-f", "s16le", "-"])


def write_m4a(files: list[AudioFile], origin_us: int, target: Path) -> None:
    """AAC in M4A of the participant's voice from origin_us (written to `target` as given)."""
    inputs, graph = _timeline(files, origin_us)
    _run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *inputs, "-filter_complex", graph,
          "-map", "[voice]", "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", "-f", "ipod", str(target)])
