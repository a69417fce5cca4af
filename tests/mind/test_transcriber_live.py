"""Live transcription: two aiortc peers speak known sentences (espeak-ng WAVs) into a conference
whose transcription is started; the transcriber process (Janus rtp_forward → Opus → VAD →
PocketSphinx) stores utterances that reach the application socket and the participants' sessions
as notifications while they speak, attributed to the right speaker, in time order, close to what
was said. Muting stops a speaker's utterances; unmuting brings them back."""

import asyncio
import json
import time

import pytest
import websockets

from mind.models import Conference, Utterance
from tests.mind.media_peer import MindPeer, SpeechTrack, db, forwarded_publishers
from tests.mind.speech import ALICE, BOB, MAX_WER, speak, word_error_rate
from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN

pytestmark = pytest.mark.django_db(transaction=True)

LEAD_SECONDS = 1.0  # speak() puts 1 s of silence before the first sentence


@pytest.fixture(scope="module")
def voices(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voices")
    return {"alice": speak(ALICE, folder / "alice.wav", "en-us"), "bob": speak(BOB, folder / "bob.wav", "en-gb")}


class AppSocket:
    """The application WebSocket of a conference: every notification, with its arrival time."""

    def __init__(self, url: str):
        self.url = url
        self.notes: list[tuple[float, dict]] = []

    async def __aenter__(self):
        self.ws = await websockets.connect(self.url)
        self.reader = asyncio.create_task(self._read())
        return self

    async def _read(self):
        async for raw in self.ws:
            self.notes.append((time.time(), json.loads(raw)))

    async def __aexit__(self, *exc):
        self.reader.cancel()
        await self.ws.close()

    def utterances(self) -> list[dict]:
        return [note["resource"] for _, note in self.notes
                if note.get("type") == "created" and note.get("location", "").startswith("/transcription/utterances/")]


def app_socket(media_server, cid) -> AppSocket:
    return AppSocket(f"ws://127.0.0.1:{media_server.port}/mind/{APPLICATION_ID}/{cid}?access_token={APPLICATION_TOKEN}")


def utterance_notes(peer: MindPeer) -> list[dict]:
    return [m["resource"] for m in peer.messages
            if m.get("type") == "created" and m.get("location", "").startswith("/transcription/utterances/")]


async def listened_to(cid, count: int = 1) -> None:
    """Waits until the transcriber forwards `count` microphones of the conference (before the
    first word is said: how fast it starts listening is not what these tests measure)."""
    conference = await db(lambda: Conference.objects.get(pk=cid))
    await wait_for(lambda: len(forwarded_publishers(conference.janus_room_id, cid)) >= count, 60,
                   "the transcriber to listen")


async def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


def test_two_speakers_are_transcribed_live(mind, media_server, transcriber, voices):
    cid = mind.create_conference(name="Live captions")["id"]
    people = {who: mind.create_participant(cid, name=who.title()) for who in ("alice", "bob")}
    assert mind.patch(f"{cid}/transcription", {"started": True}).status_code == 200
    origin_ms = Conference.objects.get(pk=cid).transcription_started_at.timestamp() * 1000

    async def scenario():
        async with app_socket(media_server, cid) as app:
            peers = {who: await MindPeer.join(media_server.session_url(cid, people[who]["token"])) for who in people}
            tracks = {}
            try:
                for who in ("alice", "bob"):
                    tracks[who] = SpeechTrack(voices[who], held=True)
                    assert (await peers[who].publish(audio_track=tracks[who], video=False))["type"] == "answer"
                await listened_to(cid, 2)
                for who in ("alice", "bob"):
                    tracks[who].speak()
                    await asyncio.sleep(2)  # Bob starts 2 s after Alice: they overlap
                await wait_for(lambda: all(t.finished for t in tracks.values()), 60, "the speech to be sent")
                # Every sentence of both (allowing one phrase to be cut in two by the VAD).
                await wait_for(lambda: all(len([u for u in app.utterances() if u["participantId"] == people[w]["id"]])
                                           >= 3 for w in people), 120, "the utterances of both speakers")
                await asyncio.sleep(5)  # a phrase still being recognised
                return app.utterances(), {w: utterance_notes(p) for w, p in peers.items()}, tracks
            finally:
                for peer in peers.values():
                    await peer.leave()

    live, heard, tracks = asyncio.run(scenario())
    stored = list(Utterance.objects.filter(conference_id=cid).values("participant_id", "timestamp", "text"))
    assert sorted((u["participantId"], u["timestamp"], u["text"]) for u in live) == sorted(
        (str(u["participant_id"]), u["timestamp"], u["text"]) for u in stored)
    for who, sentences in (("alice", ALICE), ("bob", BOB)):
        mine = [u for u in live if u["participantId"] == people[who]["id"]]
        assert 3 <= len(mine) <= 5, (who, live)
        stamps = [u["timestamp"] for u in mine]
        assert stamps == sorted(stamps), mine  # one speaker's phrases arrive in order
        # The first sentence starts 1 s into the WAV; the timestamp counts from transcription start.
        spoken_ms = (tracks[who].started_at + LEAD_SECONDS) * 1000 - origin_ms
        assert spoken_ms - 600 <= mine[0]["timestamp"] <= spoken_ms + 1200, (who, spoken_ms, mine)
        wer = word_error_rate(" ".join(sentences), " ".join(u["text"] for u in mine))
        assert wer < MAX_WER, (who, wer, mine)
        # Both participants' sessions were told too (captions).
        for listener in heard.values():
            assert [u for u in listener if u["participantId"] == people[who]["id"]] == mine


def test_mute_stops_utterances_and_unmute_resumes_them(mind, media_server, transcriber, voices):
    cid = mind.create_conference(name="Mute")["id"]
    alice = mind.create_participant(cid, name="Alice")
    assert mind.patch(f"{cid}/transcription", {"started": True}).status_code == 200
    origin_ms = Conference.objects.get(pk=cid).transcription_started_at.timestamp() * 1000

    async def scenario():
        peer = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            track = SpeechTrack(voices["alice"], loop=True, held=True)
            assert (await peer.publish(audio_track=track, video=False))["type"] == "answer"
            await listened_to(cid)
            track.speak()
            await wait_for(lambda: len(utterance_notes(peer)) >= 1, 120, "a first utterance")
            # Mute as the room does: the publication is renegotiated without audio.
            muted_ms = time.time() * 1000 - origin_ms
            assert (await peer.publish(audio=False, video=True))["type"] == "answer"
            await asyncio.sleep(15)  # she would have said three or four more sentences by now
            unmuted_ms = time.time() * 1000 - origin_ms
            track = SpeechTrack(voices["alice"], loop=True)
            assert (await peer.publish(audio_track=track, video=False))["type"] == "answer"
            await wait_for(lambda: any(u["timestamp"] > unmuted_ms for u in utterance_notes(peer)), 120,
                           "utterances after unmuting")
            return muted_ms, unmuted_ms
        finally:
            await peer.leave()

    muted_ms, unmuted_ms = asyncio.run(scenario())
    said = sorted(Utterance.objects.filter(conference_id=cid).values_list("timestamp", flat=True))
    # Nothing was said between the mute (plus the phrase being spoken then) and the unmute.
    assert not [t for t in said if muted_ms + 500 < t < unmuted_ms], (muted_ms, unmuted_ms, said)
    assert transcriber.proc.poll() is None, transcriber.log()[-3000:]


def test_a_device_change_keeps_the_speaker_transcribed(mind, media_server, transcriber, voices):
    """The room switches microphones by replacing the track in the same publication (the RTP
    timestamps start over): the new microphone's speech is still transcribed, as the same person."""
    cid = mind.create_conference(name="Device change")["id"]
    bob = mind.create_participant(cid, name="Bob")
    assert mind.patch(f"{cid}/transcription", {"started": True}).status_code == 200
    origin_ms = Conference.objects.get(pk=cid).transcription_started_at.timestamp() * 1000

    async def scenario():
        peer = await MindPeer.join(media_server.session_url(cid, bob["token"]))
        try:
            first_microphone = SpeechTrack(voices["bob"], held=True)
            assert (await peer.publish(audio_track=first_microphone, video=False))["type"] == "answer"
            await listened_to(cid)
            first_microphone.speak()
            await wait_for(lambda: len(utterance_notes(peer)) >= 1, 120, "a first utterance")
            [sender] = [s for s in peer.publishers["primary"].getSenders() if s.track and s.track.kind == "audio"]
            other_microphone = SpeechTrack(voices["alice"])  # it hears Alice's sentences
            switched_ms = time.time() * 1000 - origin_ms
            sender.replaceTrack(other_microphone)
            await wait_for(lambda: other_microphone.finished, 60, "the new microphone's speech")
            await wait_for(lambda: len([u for u in utterance_notes(peer) if u["timestamp"] > switched_ms]) >= 3, 120,
                           "utterances from the new microphone")
            await asyncio.sleep(5)  # a phrase still being recognised
            return switched_ms
        finally:
            await peer.leave()

    switched_ms = asyncio.run(scenario())
    stored = list(Utterance.objects.filter(conference_id=cid).values("participant_id", "timestamp", "text"))
    assert {str(u["participant_id"]) for u in stored} == {bob["id"]}
    after = [u for u in stored if u["timestamp"] > switched_ms]
    # Alice's sentences start 1 s after the switch (the WAV's lead): what came after is hers.
    assert word_error_rate(" ".join(ALICE), " ".join(u["text"] for u in after)) < MAX_WER, after


def test_interim_text_reaches_the_participants_before_the_final_text(mind, media_server, transcriber, voices):
    """While Alice speaks, Bob's session gets her phrase so far (`updated
    /transcription/interim/<her id>`), then the phrase's utterance; interim text is not stored and
    not sent to the application."""
    cid = mind.create_conference(name="Interim captions")["id"]
    alice = mind.create_participant(cid, name="Alice")
    bob = mind.create_participant(cid, name="Bob")
    assert mind.patch(f"{cid}/transcription", {"started": True}).status_code == 200
    interim_location = f"/transcription/interim/{alice['id']}"

    async def scenario():
        async with app_socket(media_server, cid) as app:
            speaker = await MindPeer.join(media_server.session_url(cid, alice["token"]))
            listener = await MindPeer.join(media_server.session_url(cid, bob["token"]))
            try:
                track = SpeechTrack(voices["alice"], held=True)
                assert (await speaker.publish(audio_track=track, video=False))["type"] == "answer"
                await listened_to(cid)
                track.speak()
                await wait_for(lambda: track.finished, 60, "the speech to be sent")
                await wait_for(lambda: len(utterance_notes(listener)) >= 3, 120, "her utterances")
                await asyncio.sleep(3)  # a phrase still being recognised
                return list(listener.messages), [note for _, note in app.notes]
            finally:
                await speaker.leave()
                await listener.leave()

    heard, app_notes = asyncio.run(scenario())
    captions = [(m["location"] == interim_location, m["resource"]["text"]) for m in heard
                if m.get("location") == interim_location
                or (m.get("type") == "created" and m.get("location", "").startswith("/transcription/utterances/"))]
    assert all(m["type"] == "updated" and m["resource"]["participantId"] == alice["id"]
               for m in heard if m.get("location") == interim_location)
    # Interim text comes before a final text (and none is left over after the last one).
    interim_then_final = [i for i in range(1, len(captions)) if captions[i - 1][0] and not captions[i][0]]
    assert interim_then_final, captions
    assert not captions[-1][0], captions
    assert all(text for is_interim, text in captions if is_interim), captions  # every phrase gave words
    assert not [n for n in app_notes if n.get("location", "").startswith("/transcription/interim/")]
    stored = list(Utterance.objects.filter(conference_id=cid).values_list("text", flat=True))
    assert sorted(stored) == sorted(text for is_interim, text in captions if not is_interim)
