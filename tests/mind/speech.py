"""Known English speech for the transcription tests: espeak-ng says the sentences, sox makes the
WAV a recogniser or a WebRTC peer takes (or ffmpeg the Opus RTP packets a forwarder sends); and the
word error rate of a transcript against them."""

from __future__ import annotations

import re
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.mind.mjr_maker import make_mjr

# Meeting talk, two speakers. Plain words (no numbers or names a dictionary may lack).
ALICE = ["Good morning everyone and thank you for joining the meeting today.",
         "Let us start with the budget for the next quarter.",
         "We need to hire two more people for the support team."]
BOB = ["Thank you. I think the budget looks good but the travel costs are too high.",
       "I will send the new numbers to the finance team after the meeting.",
       "Can we talk about the project plan next week?"]


def speak(sentences: list[str], target: Path, voice: str = "en-us", rate: int = 48000,
          gap: float = 1.0, lead: float = 1.0, tail: float = 2.0) -> Path:
    """A mono 16-bit WAV at `rate` Hz: each sentence, `gap` s of silence between them."""
    parts = []
    for index, sentence in enumerate(sentences):
        raw = target.with_name(f"{target.stem}-{index}.raw.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), sentence], check=True, timeout=60)
        part = target.with_name(f"{target.stem}-{index}.wav")
        subprocess.run(["sox", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(part),
                        "pad", str(lead if index == 0 else 0), str(tail if index == len(sentences) - 1 else gap)],
                       check=True, timeout=60)
        raw.unlink()
        parts.append(str(part))
    subprocess.run(["sox", *parts, str(target)], check=True, timeout=60)
    for part in parts:
        Path(part).unlink()
    return target


def pcm16k(wav: Path) -> bytes:
    """The WAV as 16 kHz mono s16le PCM (what STT engines receive)."""
    return subprocess.run(["sox", str(wav), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
                           "-t", "raw", "-"], check=True, capture_output=True, timeout=60).stdout


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words (Levenshtein over words)."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[len(hyp)] / max(1, len(ref))


# The word error rate a transcript of these sentences by the offline recogniser stays under.
MAX_WER = 0.8


def record_voices(rec_dir, people: dict, voices: dict, started_s: float) -> None:
    """Alice's and Bob's primary audio .mjr files (made in parallel; Bob starts 2 s after Alice)."""
    rec_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(make_mjr, rec_dir / f"{people[who]['id']}-primary-{index}-audio-0.mjr", "opus",
                            seconds=None, ssrc=1000 + index, source=voices[who], epoch=started_s + 2 * index)
                for index, who in enumerate(["alice", "bob"])]
        for job in jobs:
            job.result()


def opus_rtp(wav, ssrc: int = 4242) -> list[bytes]:
    """The Opus RTP packets (48 kHz, payload type 111) a forwarder would send for the WAV."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind(("127.0.0.1", 0))
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", "-ar", "48000",
                    "-ac", "2", "-payload_type", "111", "-ssrc", str(ssrc), "-f", "rtp",
                    f"rtp://127.0.0.1:{sock.getsockname()[1]}"], check=True, timeout=60)
    sock.settimeout(0.5)
    packets = []
    try:
        while True:
            packets.append(sock.recv(65535))
    except socket.timeout:
        sock.close()
    return packets
