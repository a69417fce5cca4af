"""One speaker's live path without Janus (mind.engine.live_speech): Opus RTP packets of known
sentences (ffmpeg → RTP on loopback) go into a SpeakerStream with a controlled arrival clock and
real PocketSphinx. Each sentence becomes one phrase whose start is where the sentence starts in the
audio, also across lost packets (gaps are filled with silence), and a microphone replaced
mid-sentence (new SSRC) or gone silent on the wire (mute) ends the phrase in progress."""

import asyncio
import struct

import pytest

from mind.engine.live_speech import RecogniserPool, SpeakerStream, parse_rtp
from tests.mind.speech import ALICE, MAX_WER, opus_rtp, speak, word_error_rate

pytestmark = pytest.mark.media  # ffmpeg and PocketSphinx

EPOCH = 1_800_000_000.0


def sentence_starts(wav) -> list[float]:
    """Where each sentence starts (s): espeak-ng's padding is digital silence."""
    import wave
    from array import array

    with wave.open(str(wav), "rb") as source:
        rate = source.getframerate()
        samples = array("h", source.readframes(source.getnframes()))
    window = rate // 100
    starts, quiet = [], 100
    for index in range(0, len(samples) - window, window):
        if max(abs(v) for v in samples[index:index + window]) > 300:
            if quiet >= 50:
                starts.append(index / rate)
            quiet = 0
        else:
            quiet += 1
    return starts


@pytest.fixture(scope="module")
def alice(tmp_path_factory):
    wav = speak(ALICE, tmp_path_factory.mktemp("voice") / "alice.wav", "en-us")
    return opus_rtp(wav), sentence_starts(wav)


def arrival(packet: bytes, first_ts: int) -> float:
    return EPOCH + ((struct.unpack("!I", packet[4:8])[0] - first_ts) % 2**32) / 48000


def run(feed) -> list[tuple[float, str]]:
    """Runs `feed(stream)` and returns the phrases [(start, text)] in time order."""
    async def main():
        phrases = []

        async def on_phrase(participant_id, started_at, segments):
            assert participant_id == "alice"
            phrases.append((started_at - EPOCH, " ".join(s.text for s in segments)))

        pool = RecogniserPool(1)
        stream = SpeakerStream("alice", pool, on_phrase, clock=lambda: EPOCH)
        try:
            await feed(stream)
            await stream.close()
        finally:
            pool.close()
        return sorted(phrases)

    return asyncio.run(main())


def test_sentences_become_phrases_at_their_times_across_lost_packets(alice):
    packets, starts = alice
    first_ts = parse_rtp(packets[0])[1]
    # 0.4 s of packets lost in the silence before the second sentence.
    lost = {n for n, p in enumerate(packets) if starts[1] - 0.6 <= arrival(p, first_ts) - EPOCH < starts[1] - 0.2}
    assert 19 <= len(lost) <= 21  # 20 ms packets

    async def feed(stream):
        for index, packet in enumerate(packets):
            if index not in lost:
                stream.packet(packet, arrival(packet, first_ts))
                await asyncio.sleep(0)

    phrases = run(feed)
    assert len(phrases) == len(ALICE), phrases
    for (started, _), expected in zip(phrases, starts, strict=True):
        assert expected - 0.35 <= started <= expected + 0.1, (phrases, starts)
    assert word_error_rate(" ".join(ALICE), " ".join(text for _, text in phrases)) < MAX_WER, phrases


def test_a_new_microphone_or_silence_on_the_wire_ends_the_phrase(alice):
    packets, starts = alice
    first_ts = parse_rtp(packets[0])[1]
    middle_of_first = starts[0] + 1.0

    async def feed(stream):
        for packet in packets:
            at = arrival(packet, first_ts)
            if at - EPOCH >= middle_of_first:
                break
            stream.packet(packet, at)
        assert stream.phrase is not None  # mid-sentence
        stream.tick(at + 0.5)
        assert stream.phrase is not None  # a short hiccup is not the end
        stream.tick(at + 1.5)  # muted: nothing for over a second
        assert stream.phrase is None
        # Another device (another SSRC) speaks the whole text, 10 s later.
        for packet in packets:
            stream.packet(packet[:8] + struct.pack("!I", 777) + packet[12:], arrival(packet, first_ts) + 10)
            await asyncio.sleep(0)

    phrases = run(feed)
    cut = [p for p in phrases if p[0] < 10]
    rest = [p for p in phrases if p[0] >= 10]
    assert all(start == pytest.approx(starts[0], abs=0.35) for start, _ in cut), phrases  # the cut phrase, if heard
    assert len(rest) == len(starts), phrases
    for (started, _), expected in zip(rest, starts, strict=True):
        assert 10 + expected - 0.35 <= started <= 10 + expected + 0.1, (phrases, starts)
