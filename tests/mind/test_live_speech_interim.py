"""Interim text of a phrase still being spoken (mind.engine.live_speech): Opus RTP packets of known
sentences are fed at the pace they were spoken into a SpeakerStream with real PocketSphinx
recognisers. While each sentence is spoken, its beginning comes out as interim text made of the
sentence's words; the sentence's final text always comes after its interim text (never the other
way round), and the finals are the same as without interim text. A pool without its interim
recogniser gives no interim text at all."""

import asyncio
import re

import pytest

from mind.engine.live_speech import RecogniserPool, SpeakerStream, parse_rtp
from tests.mind.speech import ALICE, MAX_WER, opus_rtp, speak, word_error_rate

pytestmark = pytest.mark.media  # ffmpeg and PocketSphinx


@pytest.fixture(scope="module")
def packets(tmp_path_factory):
    return opus_rtp(speak(ALICE, tmp_path_factory.mktemp("voice") / "alice.wav", "en-us"))


def spoken_in_real_time(packets, interim: bool) -> list[tuple[str, str]]:
    """Feeds the packets as a microphone would send them; returns the events in order:
    ("interim", text) and ("final", text)."""
    async def main():
        events = []

        async def on_phrase(participant_id, started_at, segments):
            events.append(("final", " ".join(s.text for s in segments)))

        async def on_interim(participant_id, text):
            assert participant_id == "alice"
            events.append(("interim", text))

        # The interim recogniser at the same CPU priority: how the stream orders texts is what is
        # tested here, not how a loaded machine schedules a lower-priority process.
        pool = RecogniserPool(1, interim=interim, interim_niceness=0)
        await asyncio.to_thread(pool.warm_up)
        stream = SpeakerStream("alice", pool, on_phrase, on_interim=on_interim, interim_seconds=1.0)
        first_ts = parse_rtp(packets[0])[1]
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            for packet in packets:
                due = began + ((parse_rtp(packet)[1] - first_ts) % 2**32) / 48000
                if due > loop.time():
                    await asyncio.sleep(due - loop.time())
                stream.packet(packet)
            await stream.close()
        finally:
            pool.close()
        return events

    return asyncio.run(main())


def words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z']+", text.lower()) if len(word) >= 4}


def test_interim_text_while_speaking_then_the_final_text(packets):
    events = spoken_in_real_time(packets, interim=True)
    finals = [text for kind, text in events if kind == "final"]
    assert len(finals) == len(ALICE), events
    assert word_error_rate(" ".join(ALICE), " ".join(finals)) < MAX_WER, events
    # Interim text of each sentence comes before its final text, made of the sentence's words.
    shown_before = []
    interim: list[str] = []
    for kind, text in events:
        if kind == "interim":
            assert text, events  # nothing to withdraw: every sentence gave words
            interim.append(text)
        else:
            shown_before.append(interim)
            interim = []
    assert interim == [], events  # nothing after the last final text
    assert sum(1 for shown in shown_before if shown) >= 2, events  # 3 sentences of 3-4 s, one decode per 1 s
    spoken = words(" ".join(ALICE))
    heard = set().union(*(words(text) for shown in shown_before for text in shown))
    assert len(heard & spoken) >= 3, (heard, events)


def test_no_interim_text_without_the_interim_recogniser(packets):
    events = spoken_in_real_time(packets, interim=False)
    assert [kind for kind, _ in events] == ["final"] * len(ALICE), events
