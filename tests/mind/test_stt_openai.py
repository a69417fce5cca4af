"""The OpenAI-compatible STT engine against a local server speaking that protocol: the multipart
request, both response formats, retries with backoff, and the fall back to PocketSphinx (with a
logged warning) on 5xx, timeouts and refused connections."""

import logging

import pytest

from mind.engine.stt import FallbackEngine, Segment, build_engine
from mind.engine.stt.openai_engine import OpenAIEngine
from mind.engine.stt.pocketsphinx_engine import PocketSphinxEngine
from tests.mind.openai_stt_server import OpenAISttServer
from tests.mind.speech import ALICE, pcm16k, speak

pytestmark = pytest.mark.media  # espeak-ng and sox make the speech

VERBOSE = {"text": " Good morning everyone. Thank you.", "language": "english", "duration": 3.0,
           "segments": [{"id": 0, "start": 0.0, "end": 1.6, "text": " Good morning everyone."},
                        {"id": 1, "start": 1.8, "end": 2.9, "text": " Thank you."}]}


@pytest.fixture
def server():
    with OpenAISttServer() as running:
        yield running


@pytest.fixture
def openai(settings, server):
    settings.STT_ENGINE = "openai"
    settings.STT_OPENAI_URL = server.base_url
    settings.STT_OPENAI_MODEL = "whisper-large-v3"
    settings.STT_OPENAI_KEY = "sk-test-key"
    settings.STT_LANGUAGE = "en-US"
    settings.STT_OPENAI_TIMEOUT = 2
    settings.STT_OPENAI_RETRIES = 2
    settings.STT_OPENAI_RESPONSE_FORMAT = "verbose_json"
    return settings


@pytest.fixture(scope="module")
def phrase(tmp_path_factory):
    return pcm16k(speak(ALICE[:1], tmp_path_factory.mktemp("speech") / "one.wav", lead=0, tail=0))


def test_sends_a_multipart_wav_and_reads_verbose_segments(openai, server, phrase):
    server.script = [("ok", VERBOSE)]
    engine = build_engine()
    assert isinstance(engine, FallbackEngine) and isinstance(engine.primary, OpenAIEngine)
    assert engine.transcribe(phrase) == [Segment(0.0, 1.6, "Good morning everyone."), Segment(1.8, 2.9, "Thank you.")]
    [request] = server.received
    assert request.headers["Authorization"] == "Bearer sk-test-key"
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert request.fields == {"model": "whisper-large-v3", "response_format": "verbose_json", "language": "en"}
    assert request.wav == {"rate": 16000, "channels": 1, "width": 2, "frames": len(phrase) // 2,
                           "content_type": "audio/wav"}


def test_json_format_is_one_segment_for_the_phrase(openai, server, phrase):
    openai.STT_OPENAI_RESPONSE_FORMAT = "json"
    server.script = [("ok", {"text": "  Good   morning everyone. "})]
    assert build_engine().transcribe(phrase) == [Segment(0.0, len(phrase) / 32000, "Good morning everyone.")]
    assert server.received[0].fields["response_format"] == "json"


def test_a_5xx_is_retried_then_answers(openai, server, phrase):
    server.script = [("status", 503), ("status", 502), ("ok", {"text": "third time lucky"})]
    assert [s.text for s in build_engine().transcribe(phrase)] == ["third time lucky"]
    assert len(server.received) == 3


def test_persistent_5xx_falls_back_to_pocketsphinx(openai, server, phrase, caplog):
    server.script = [("status", 500)] * 3
    with caplog.at_level(logging.WARNING, logger="mind.engine.stt"):
        segments = build_engine().transcribe(phrase)
    assert len(server.received) == 3  # one try and two retries
    text = " ".join(s.text for s in segments)
    assert "morning" in text or "meeting" in text  # PocketSphinx heard the phrase itself
    assert any("openai failed" in r.getMessage() and "pocketsphinx" in r.getMessage() for r in caplog.records)


def test_a_slow_server_times_out_and_falls_back(openai, server, phrase, caplog):
    openai.STT_OPENAI_TIMEOUT = 0.5
    openai.STT_OPENAI_RETRIES = 0
    server.script = [("sleep", 3, {"text": "too late"})]
    with caplog.at_level(logging.WARNING, logger="mind.engine.stt"):
        segments = build_engine().transcribe(phrase)
    assert segments and "too late" not in " ".join(s.text for s in segments)
    assert any("Timeout" in r.getMessage() for r in caplog.records)


def test_after_a_failure_the_engine_rests_then_is_tried_again(openai, server, phrase):
    openai.STT_OPENAI_RETRIES = 0
    now = [1000.0]
    engine = FallbackEngine(OpenAIEngine.from_settings(), PocketSphinxEngine.from_settings(), cooldown=60,
                            clock=lambda: now[0])
    server.script = [("status", 500)]
    assert engine.transcribe(phrase)  # fails over to PocketSphinx
    now[0] += 59
    assert engine.transcribe(phrase)  # still resting: straight to PocketSphinx
    assert len(server.received) == 1
    now[0] += 2
    server.script = [("ok", {"text": "back again"})]
    assert [s.text for s in engine.transcribe(phrase)] == ["back again"]
    assert len(server.received) == 2


def test_a_client_error_is_not_retried(openai, server, phrase):
    server.script = [("status", 400)]
    segments = build_engine().transcribe(phrase)
    assert len(server.received) == 1 and segments  # fell back at once


def test_nobody_listening_falls_back(openai, phrase):
    openai.STT_OPENAI_URL = "http://127.0.0.1:9/v1"  # discard port: connection refused
    openai.STT_OPENAI_RETRIES = 1
    assert build_engine().transcribe(phrase)


def test_missing_url_is_a_configuration_error(openai):
    openai.STT_OPENAI_URL = ""
    with pytest.raises(ValueError, match="STT_OPENAI_URL"):
        build_engine()
