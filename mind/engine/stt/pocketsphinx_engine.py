"""PocketSphinx, the default engine: offline, CPU-only, the US English model from its wheel.

Options: `STT_POCKETSPHINX_MODEL` (a folder with another acoustic model, e.g. for another
language), `STT_POCKETSPHINX_DICT`, `STT_POCKETSPHINX_LM` (pronunciation dictionary and language
model files). Without them the wheel's en-us model is used, whatever `STT_LANGUAGE` says (a
warning is logged when it is not English). Accuracy on clear speech is good enough for keywords
and summaries, not for verbatim quotes: docs/transcription.md gives the measured word error rate.
"""

from __future__ import annotations

import logging

from django.conf import settings

from mind.engine.stt import SAMPLE_RATE, Engine, EngineError, Segment, duration

log = logging.getLogger(__name__)


class PocketSphinxEngine(Engine):
    name = "pocketsphinx"

    def __init__(self, model: str = "", dictionary: str = "", language_model: str = ""):
        from pocketsphinx import Decoder

        options = {"samprate": SAMPLE_RATE, "loglevel": "FATAL"}
        if model:
            options["hmm"] = model
        if dictionary:
            options["dict"] = dictionary
        if language_model:
            options["lm"] = language_model
        self.decoder = Decoder(**options)

    @classmethod
    def from_settings(cls) -> "PocketSphinxEngine":
        model = settings.STT_POCKETSPHINX_MODEL
        if not model and not settings.STT_LANGUAGE.lower().startswith("en"):
            log.warning("STT_LANGUAGE is %r but PocketSphinx has only its English model; "
                        "set STT_POCKETSPHINX_MODEL/_DICT/_LM for another language", settings.STT_LANGUAGE)
        return cls(model, settings.STT_POCKETSPHINX_DICT, settings.STT_POCKETSPHINX_LM)

    def transcribe(self, pcm: bytes) -> list[Segment]:
        if not pcm:
            return []
        try:
            self.decoder.start_utt()
            self.decoder.process_raw(pcm, full_utt=True)
            self.decoder.end_utt()
        except RuntimeError as exc:
            raise EngineError(f"pocketsphinx: {exc}") from exc
        return self._result(duration(pcm))

    # No streaming override (begin/feed/finish collect the phrase, then `transcribe`): decoding a
    # whole phrase normalises it with its own cepstral mean, while a decoder fed piece by piece
    # carries the mean over from earlier phrases (measured on the test speech: WER 0.53 vs 0.78+).

    def _result(self, seconds: float) -> list[Segment]:
        hypothesis = self.decoder.hyp()
        text = " ".join((hypothesis.hypstr if hypothesis else "").split())
        return [Segment(0.0, seconds, text)] if text else []
