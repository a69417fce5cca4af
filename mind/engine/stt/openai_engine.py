"""Any server speaking OpenAI's `POST {base}/audio/transcriptions` (OpenAI itself, or a
faster-whisper / whisper.cpp / vLLM server on a GPU box).

Each phrase is sent as a multipart form: `file` (a 16 kHz mono WAV), `model`, `language`,
`response_format` (`verbose_json`: the answer's `segments` give offsets inside the phrase;
`json`: one `text` for the whole phrase). Settings: `STT_OPENAI_URL` (base URL ending in `/v1`),
`STT_OPENAI_MODEL`, `STT_OPENAI_KEY` (sent as a bearer token; from the environment only),
`STT_OPENAI_TIMEOUT` (seconds per attempt), `STT_OPENAI_RETRIES` (extra attempts after a
connection error, a timeout, a 429 or a 5xx, waiting 0.5 s, 1 s, 2 s... between them),
`STT_OPENAI_RESPONSE_FORMAT`. Anything else (4xx, malformed JSON) fails at once. A failure is an
EngineError: `FallbackEngine` then transcribes the phrase with PocketSphinx.
"""

from __future__ import annotations

import io
import time
import wave

import requests
from django.conf import settings

from mind.engine.stt import SAMPLE_RATE, SAMPLE_WIDTH, Engine, EngineError, Segment, duration

RESPONSE_FORMATS = ("verbose_json", "json")
BACKOFF_SECONDS = 0.5


def wav_bytes(pcm: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm)
    return buffer.getvalue()


class OpenAIEngine(Engine):
    name = "openai"

    def __init__(self, base_url: str, model: str, key: str = "", language: str = "",
                 timeout: float = 30.0, retries: int = 2, response_format: str = "verbose_json"):
        if not base_url:
            raise ValueError("STT_OPENAI_URL is required for the openai engine")
        if response_format not in RESPONSE_FORMATS:
            raise ValueError(f"STT_OPENAI_RESPONSE_FORMAT must be one of {RESPONSE_FORMATS}")
        self.url = base_url.rstrip("/") + "/audio/transcriptions"
        self.model, self.language, self.response_format = model, language, response_format
        self.timeout, self.retries = timeout, retries
        self.http = requests.Session()
        if key:
            self.http.headers["Authorization"] = f"Bearer {key}"

    @classmethod
    def from_settings(cls) -> "OpenAIEngine":
        return cls(settings.STT_OPENAI_URL, settings.STT_OPENAI_MODEL, settings.STT_OPENAI_KEY,
                   settings.STT_LANGUAGE, settings.STT_OPENAI_TIMEOUT, settings.STT_OPENAI_RETRIES,
                   settings.STT_OPENAI_RESPONSE_FORMAT)

    def transcribe(self, pcm: bytes) -> list[Segment]:
        if not pcm:
            return []
        body = self._post(wav_bytes(pcm))
        return self._segments(body, duration(pcm))

    def _post(self, wav: bytes) -> dict:
        form = {"model": self.model, "response_format": self.response_format}
        if self.language:
            form["language"] = self.language.split("-")[0]  # ISO-639-1, as the API expects
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
            try:
                response = self.http.post(self.url, data=form, files={"file": ("phrase.wav", wav, "audio/wav")},
                                          timeout=self.timeout)
            except requests.RequestException as exc:  # connection refused, timeout...
                problem = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code == 429 or response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
                continue
            if response.status_code != 200:
                raise EngineError(f"HTTP {response.status_code}: {response.text[:200]}")
            try:
                body = response.json()
            except ValueError as exc:
                raise EngineError("the answer is not JSON") from exc
            if not isinstance(body, dict) or not isinstance(body.get("text"), str):
                raise EngineError("the answer has no text")
            return body
        raise EngineError(f"{self.url}: {problem} after {self.retries + 1} attempts")

    @staticmethod
    def _segments(body: dict, length: float) -> list[Segment]:
        parts = body.get("segments")
        if isinstance(parts, list) and parts:
            segments = []
            for part in parts:
                try:
                    text = " ".join(str(part["text"]).split())
                    start, end = float(part["start"]), float(part["end"])
                except (KeyError, TypeError, ValueError) as exc:
                    raise EngineError("a malformed segment in the answer") from exc
                if text:
                    segments.append(Segment(max(0.0, start), min(length, max(start, end)), text))
            return segments
        text = " ".join(body["text"].split())
        return [Segment(0.0, length, text)] if text else []
