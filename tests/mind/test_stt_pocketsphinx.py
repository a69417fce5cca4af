"""The default STT engine (PocketSphinx, offline) on known speech, cut into phrases by the VAD."""

import pytest

from mind.engine.final_pass import transcribe_pcm
from mind.engine.stt import Segment, build_engine
from mind.engine.stt.phrases import split_phrases
from tests.mind.speech import ALICE, MAX_WER, pcm16k, speak, word_error_rate

pytestmark = pytest.mark.media  # espeak-ng and sox make the speech

# PocketSphinx's en-us model on espeak-ng voices: measured 0.47–0.65 (docs/transcription.md).


def test_phrases_follow_the_sentences(tmp_path):
    pcm = pcm16k(speak(ALICE, tmp_path / "alice.wav", gap=1.2))
    phrases = split_phrases(pcm)
    assert len(phrases) == len(ALICE)
    assert phrases[0].start >= 0.8  # one second of silence first
    assert all(a.end < b.start for a, b in zip(phrases, phrases[1:], strict=False))


def test_transcribes_known_sentences(tmp_path, settings):
    settings.STT_ENGINE = "pocketsphinx"
    pcm = pcm16k(speak(ALICE, tmp_path / "alice.wav"))
    utterances = transcribe_pcm(pcm, "p1", offset_ms=500)
    assert len(utterances) == len(ALICE)
    assert utterances[0]["timestamp"] >= 500 + 800
    assert [u["timestamp"] for u in utterances] == sorted(u["timestamp"] for u in utterances)
    text = " ".join(u["text"] for u in utterances)
    assert word_error_rate(" ".join(ALICE), text) < MAX_WER, text


def test_silence_gives_nothing(settings):
    settings.STT_ENGINE = "pocketsphinx"
    engine = build_engine()
    assert engine.transcribe(b"") == []
    assert split_phrases(bytes(16000 * 2 * 3)) == []  # three seconds of digital silence


def test_one_phrase_is_one_segment(tmp_path, settings):
    settings.STT_ENGINE = "pocketsphinx"
    pcm = pcm16k(speak(ALICE[:1], tmp_path / "one.wav", lead=0, tail=0))
    [segment] = build_engine().transcribe(pcm)
    assert isinstance(segment, Segment) and segment.start == 0 and abs(segment.end - len(pcm) / 32000) < 1e-6
    assert "morning" in segment.text or "meeting" in segment.text
