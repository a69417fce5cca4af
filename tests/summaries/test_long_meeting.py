"""A generated 3-hour meeting is summarised: topics in order, every commitment found; chunked for the
OpenAI-compatible backend."""

from summaries.backends.base import Line, Options
from summaries.pipeline import chunk_lines, summarize_lines
from tests.summaries.chat_server import GOOD, ChatServer
from tests.summaries.generated import TOPICS, long_meeting


def lines_of(hours=3.0):
    generated, commitments = long_meeting(hours)
    return [Line(ms, speaker, text) for ms, speaker, text in generated], commitments


def test_three_hours_embedded(settings):
    settings.SUMMARIES_BACKEND = "embedded"
    lines, commitments = lines_of()
    assert lines[-1].start_ms >= 3 * 3600 * 1000 - 10_000
    draft, used = summarize_lines(lines, Options(topic="Quarterly planning"))
    assert used == "embedded"
    assert 3 <= len(draft["details"]) <= 12
    # Topics come in meeting order: each generated topic is named by a label no later than the next one's.
    found = []
    for topic, _ in TOPICS:
        positions = [i for i, d in enumerate(draft["details"]) if topic.split()[0] in (d["label"] + d["summary"]).lower()]
        assert positions, f"{topic} is in no topic"
        found.append(positions[0])
    assert found == sorted(found)
    owners = [step["owner"] for step in draft["next_steps"] if "write up the plan" in step["text"]]
    assert owners == commitments
    assert len(draft["overview"].split()) <= settings.SUMMARIES_OVERVIEW_WORDS + 1
    assert len(draft["decisions"]) == len(TOPICS)


def test_three_hours_chunked_for_a_chat_model(settings):
    server = ChatServer([("json", GOOD)] * 40)
    try:
        settings.SUMMARIES_OPENAI_BASE_URL = server.url
        settings.SUMMARIES_OPENAI_MODEL = "m"
        lines, _ = lines_of()
        chunks = chunk_lines(lines, settings.SUMMARIES_OPENAI_MAX_CHUNK_CHARS)
        draft, used = summarize_lines(lines, Options(), "openai")
        assert used == "openai"
        assert len(server.requests) == len(chunks) > 3
        assert [c[0] for c in chunks][0] == lines[0] and sum(len(c) for c in chunks) == len(lines)
        for _, _, body in server.requests:
            assert len(body["messages"][1]["content"]) <= settings.SUMMARIES_OPENAI_MAX_CHUNK_CHARS
        # Topics stay in meeting order, one run per chunk (only a topic running across a chunk edge is joined).
        assert [d["label"] for d in draft["details"]] == ["Launch date", "Ads budget"] * len(chunks)
        assert len(draft["next_steps"]) == 1  # the same step from every chunk is kept once
    finally:
        server.close()
