"""The OpenAI-compatible backend against a local chat-completions server: canned answer, malformed
JSON (one repair), timeout, 429 then success; a failing backend fails the summary with the reason,
and the embedded backend can take over."""

import pytest

from summaries import pipeline, services
from summaries.models import MeetingSummary
from tests.summaries.chat_server import GOOD, ChatServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(settings):
    servers = []

    def make(*script):
        server = ChatServer(script)
        servers.append(server)
        settings.SUMMARIES_BACKEND = "openai"
        settings.SUMMARIES_OPENAI_BASE_URL = server.url
        settings.SUMMARIES_OPENAI_MODEL = "test-model"
        settings.SUMMARIES_OPENAI_API_KEY = "sk-test"
        settings.SUMMARIES_OPENAI_TIMEOUT = 2
        settings.SUMMARIES_HTTP_RETRIES = 1
        return server

    yield make
    for server in servers:
        server.close()


def run(ended_meeting):
    instance = ended_meeting()
    summary = MeetingSummary.objects.get(instance=instance)
    result = pipeline.run(summary.pk, summary.generation)
    summary.refresh_from_db()
    return result, summary


def test_canned_answer(chat, ended_meeting):
    server = chat(("json", GOOD))
    result, summary = run(ended_meeting)
    assert result == "completed" and summary.used_backend == "openai"
    assert summary.content["overview"] == GOOD["overview"]
    assert summary.content["next_steps"] == [{"text": "Tell the newsletter team about the new date",
                                              "owner": "Gita Guest", "due": "Friday"}]
    path, headers, body = server.requests[0]
    assert path == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer sk-test"
    assert body["model"] == "test-model" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    assert "Gita Guest: the design team still needs two weeks" in body["messages"][1]["content"]


def test_malformed_json_is_repaired_once(chat, ended_meeting):
    server = chat(("text", "Sure! Here is the summary: {title: oops"), ("json", GOOD))
    result, summary = run(ended_meeting)
    assert result == "completed"
    repair = server.requests[1][2]["messages"]
    assert repair[-2] == {"role": "assistant", "content": "Sure! Here is the summary: {title: oops"}
    assert "not valid JSON" in repair[-1]["content"]


def test_json_with_an_unreadable_number_is_repaired_once(chat, ended_meeting):
    unreadable = '{"title": "x", "overview": ' + "9" * 5000 + "}"  # json refuses integers of over 4300 digits
    server = chat(("text", unreadable), ("json", GOOD))
    result, summary = run(ended_meeting)
    assert result == "completed" and summary.content["overview"] == GOOD["overview"]
    repair = server.requests[1][2]["messages"]
    assert "not valid JSON" in repair[-1]["content"] and "4300" in repair[-1]["content"]


def test_wrong_shape_twice_fails_with_the_reason(chat, ended_meeting):
    bad = dict(GOOD, details="none")
    chat(("json", bad), ("json", bad))
    result, summary = run(ended_meeting)
    assert result == "failed" and summary.state == "failed"
    assert "does not match the schema at details" in summary.failure_reason
    assert summary.content is None  # never half-written


def test_timeout_fails_with_the_reason(chat, ended_meeting):
    chat(("sleep", 3), ("sleep", 3))
    result, summary = run(ended_meeting)
    assert result == "failed"
    assert "did not answer within 2 s" in summary.failure_reason


def test_429_then_success(chat, ended_meeting):
    server = chat(("status", 429), ("json", GOOD))
    result, summary = run(ended_meeting)
    assert result == "completed" and len(server.requests) == 2


def test_5xx_retried_then_given_up(chat, ended_meeting):
    chat(("status", 502), ("status", 503))
    result, summary = run(ended_meeting)
    assert result == "failed"
    assert "HTTP 503 (after 2 attempts)" in summary.failure_reason


def test_after_a_failure_the_embedded_backend_takes_over(chat, ended_meeting):
    chat(("status", 400))
    result, summary = run(ended_meeting)
    assert result == "failed" and "HTTP 400: scripted 400" in summary.failure_reason
    services.request_summary(summary.instance, backend="embedded")
    summary.refresh_from_db()
    assert pipeline.run(summary.pk, summary.generation) == "completed"
    summary.refresh_from_db()
    assert summary.used_backend == "embedded" and summary.failure_reason == ""


def test_long_transcripts_are_chunked_and_merged(chat, ended_meeting, settings):
    first = dict(GOOD, details=[{"label": "Launch date", "summary": "Moved."}], keywords=["launch"])
    second = dict(GOOD, details=[{"label": "Ads budget", "summary": "Search."}],
                  next_steps=GOOD["next_steps"] + [{"text": "Send the budget sheet", "owner": None, "due": None}],
                  keywords=["budget"])
    server = chat(*[("json", first)] + [("json", second)] * 10)
    settings.SUMMARIES_OPENAI_MAX_CHUNK_CHARS = 400
    result, summary = run(ended_meeting)
    assert result == "completed"
    assert len(server.requests) > 1
    labels = [d["label"] for d in summary.content["details"]]
    assert labels == ["Launch date", "Ads budget"]  # meeting order; repeated labels of adjacent chunks joined
    assert [s["text"] for s in summary.content["next_steps"]] == [
        "Tell the newsletter team about the new date", "Send the budget sheet"]  # no repeats
    for _, _, body in server.requests:
        assert len(body["messages"][1]["content"]) <= 400
