"""Cutting speech into phrases with PocketSphinx's voice-activity detector (WebRTC's VAD).

Input and output are 16 kHz mono signed 16-bit PCM. A phrase ends after ~0.3 s of non-speech;
phrases longer than MAX_PHRASE_SECONDS are cut (recognisers, Whisper included, do best on
sentences, and a phrase is also the unit of retry and fallback).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from mind.engine.stt import SAMPLE_RATE, SAMPLE_WIDTH

MAX_PHRASE_SECONDS = 25.0
VAD_WINDOW_SECONDS = 0.3


@dataclass(frozen=True)
class Phrase:
    start: float  # seconds from the start of the audio
    end: float
    pcm: bytes


def _cut(phrase: Phrase) -> list[Phrase]:
    step = int(MAX_PHRASE_SECONDS * SAMPLE_RATE) * SAMPLE_WIDTH
    if len(phrase.pcm) <= step:
        return [phrase]
    return [Phrase(phrase.start + offset / (SAMPLE_RATE * SAMPLE_WIDTH),
                   min(phrase.end, phrase.start + (offset + step) / (SAMPLE_RATE * SAMPLE_WIDTH)),
                   phrase.pcm[offset:offset + step])
            for offset in range(0, len(phrase.pcm), step)]


def split_phrases(pcm: bytes) -> list[Phrase]:
    from pocketsphinx import Segmenter

    segmenter = Segmenter(window=VAD_WINDOW_SECONDS, sample_rate=SAMPLE_RATE)
    phrases = []
    for part in segmenter.segment(io.BytesIO(pcm)):
        phrases += _cut(Phrase(part.start_time, part.end_time, part.pcm))
    return phrases
