"""Benchmark: speech-to-text cost on this machine, as real-time factors (seconds of compute per
second of audio), with the decode of the same audio (Opus .mjr → 16 kHz PCM) as the baseline.

For each engine it runs the final pass's recogniser path (VAD phrases → engine) over two
participants' known speech (espeak-ng, two voices) and prints the real-time factor and the word
error rate. `openai` runs against a local server speaking the protocol that answers at once, so
its figure is the client's own overhead (encoding, HTTP), not a Whisper server's speed.

    bin/dev bench bench/transcription.py

Not measured yet: the live transcriber (not built; see docs/transcription.md).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from mind.engine import participant_audio  # noqa: E402
from mind.engine.final_pass import transcribe_pcm  # noqa: E402
from tests.mind.mjr_maker import make_mjr  # noqa: E402
from tests.mind.openai_stt_server import OpenAISttServer  # noqa: E402
from tests.mind.speech import ALICE, BOB, speak, word_error_rate  # noqa: E402


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-stt-"))
    speakers = []
    for name, sentences, voice in (("alice", ALICE, "en-us"), ("bob", BOB, "en-gb")):
        wav = speak(sentences, work / f"{name}.wav", voice)
        mjr = make_mjr(work / f"{name}.mjr", "opus", seconds=None, source=wav)
        speakers.append((name, " ".join(sentences), mjr))

    started = time.process_time()
    decoded = []
    for name, reference, mjr in speakers:
        audio = participant_audio.extract(name, [mjr], work)
        decoded.append((name, reference, participant_audio.decode_pcm(audio, min(a.start_us for a in audio))))
    decode_cpu = time.process_time() - started  # our process only; ffmpeg's children counted below
    children = os.times()
    decode_cpu += children.children_user + children.children_system
    seconds = sum(len(pcm) for _, _, pcm in decoded) / 32000
    print(f"audio: {seconds:.1f} s from {len(speakers)} speakers (Opus .mjr, as Janus records it)")
    print(f"baseline  decode .mjr → 16 kHz PCM       RTF {decode_cpu / seconds:.3f}")

    with OpenAISttServer() as server:
        settings.STT_OPENAI_URL = server.base_url
        for engine in ("pocketsphinx", "openai"):
            settings.STT_ENGINE = engine
            server.script = [("ok", {"text": "hello"})] * 1000
            errors, wall = [], 0.0
            for name, reference, pcm in decoded:
                began = time.perf_counter()
                utterances = transcribe_pcm(pcm, name)
                wall += time.perf_counter() - began
                errors.append(word_error_rate(reference, " ".join(u["text"] for u in utterances)))
            rtf = wall / seconds
            wer = " ".join(f"{e:.2f}" for e in errors)
            print(f"final     {engine:<13} VAD + recogniser  RTF {rtf:.3f}  ({rtf / (decode_cpu / seconds):.1f}× "
                  f"the decode)  WER per speaker {wer}")


if __name__ == "__main__":
    main()
