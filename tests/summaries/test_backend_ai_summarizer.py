"""The external AI Summarizer backend against a local server speaking the mapped protocol."""

import pytest

from summaries import pipeline
from summaries.models import MeetingSummary
from tests.summaries.chat_server import ChatServer

pytestmark = pytest.mark.django_db

ANSWER = {"title": "Relaunch", "summary": "Launch moved to 24 March.",
          "chapters": [{"title": "Launch date", "summary": "Moved two weeks."}],
          "action_items": [{"text": "Tell the newsletter team", "assignee": "Gita Guest", "due": "Friday"}],
          "keywords": ["launch"], "decisions": ["Launch on 24 March"]}


@pytest.fixture
def service(settings):
    servers = []

    def make(*script):
        server = ChatServer(script)
        servers.append(server)
        settings.SUMMARIES_BACKEND = "ai_summarizer"
        settings.SUMMARIES_AI_SUMMARIZER_URL = server.url.removesuffix("/v1")
        settings.SUMMARIES_AI_SUMMARIZER_KEY = "as-key"
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


def test_request_and_answer_mapping(service, ended_meeting):
    server = service(("raw", ANSWER))
    result, summary = run(ended_meeting)
    assert result == "completed" and summary.used_backend == "ai_summarizer"
    assert summary.content["details"] == [{"label": "Launch date", "summary": "Moved two weeks."}]
    assert summary.content["next_steps"] == [{"text": "Tell the newsletter team", "owner": "Gita Guest", "due": "Friday"}]
    path, headers, body = server.requests[0]
    assert path == "/v1/summaries" and headers["Authorization"] == "Bearer as-key"
    assert body["style"] == "general"
    assert body["transcript"][2] == {"speaker": "Gita Guest", "start_ms": 16000,
                                     "text": "the design team still needs two weeks for the checkout pages so march tenth is tight"}


def test_an_answer_without_summary_fails(service, ended_meeting):
    service(("raw", {"title": "x"}))
    result, summary = run(ended_meeting)
    assert result == "failed" and "lacks 'summary'" in summary.failure_reason
