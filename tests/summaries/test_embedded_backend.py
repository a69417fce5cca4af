"""The embedded summarizer on speech-to-text output: noise removed, owners found, deterministic."""

from summaries.backends.base import Line, Options, validate_draft
from summaries.backends.embedded import EmbeddedSummarizer, clean

NOISY = [
    ("Ann Lee", "<unk> um okay so uh the the first thing is the the office move [noise]"),
    ("Bob Stone", "the new office is ready on the fifteenth but the internet line is not installed yet"),
    ("Ann Lee", "bob can you call the provider about the internet line by tuesday"),
    ("Bob Stone", "yeah sure"),
    ("Carol White", "uh i'll book the movers for the weekend of the twentieth"),
    ("Ann Lee", "can you hear me"),
    ("Ann Lee", "i'll be honest the parking situation is bad"),
    ("Carol White", "we decided to rent four parking spots near the new office"),
    ("Ann Lee", "let's send the new address to all clients by the end of the month"),
]


def summarize(lines, **options):
    return validate_draft(EmbeddedSummarizer().summarize(
        [Line(i * 7000, speaker, text) for i, (speaker, text) in enumerate(lines)],
        Options(participants=("Ann Lee", "Bob Stone", "Carol White"), **options)))


def test_cleaning():
    assert clean("<unk> um okay so uh the the first thing [noise]") == "okay so the first thing"


def test_next_steps_owners_and_deadlines():
    steps = summarize(NOISY)["next_steps"]
    assert steps == [
        {"text": "Bob Stone will call the provider about the internet line by tuesday.", "owner": "Bob Stone",
         "due": "by tuesday"},
        {"text": "Carol White will book the movers for the weekend of the twentieth.", "owner": "Carol White", "due": ""},
        {"text": "Send the new address to all clients by the end of the month.", "owner": "",
         "due": "by the end of the month"},
    ]  # not "can you hear me", not "I'll be honest"


def test_decisions_and_no_noise_left():
    draft = summarize(NOISY)
    assert draft["decisions"] == ["We decided to rent four parking spots near the new office."]
    text = " ".join([draft["overview"]] + [d["summary"] for d in draft["details"]])
    assert "<unk>" not in text and "[noise]" not in text and " um " not in f" {text} " and "the the" not in text


def test_deterministic():
    assert summarize(NOISY) == summarize(NOISY)


def test_word_limit_and_standup_style():
    draft = summarize(NOISY, word_limit=20, style="daily_standup")
    assert len(draft["overview"].split()) <= 21
    assert [d["label"] for d in draft["details"]] == ["Ann Lee", "Bob Stone", "Carol White"]


def test_empty_transcript():
    draft = summarize([("Ann Lee", "um uh <unk>")])
    assert draft["overview"] == "" and draft["next_steps"] == [] and draft["title"] == "Meeting summary"
