"""The issue's acceptance path, end to end: two aiortc peers speak known sentences into a
conference whose recording runs and whose transcription is started. Live utterances arrive while
they speak (the transcriber process), attributed and in order; after the recording stops, the
final pass (a real Celery worker over Janus's .mjr files) replaces them and the transcript goes
to 200, each speaker's text within the word-error bound and on the same time axis as the live
lines (ms from the recording's start)."""

import asyncio
import time

import pytest

from mind.models import Conference
from tests.conftest import wait_until
from tests.mind.media_peer import MindPeer, SpeechTrack, forwarded_publishers
from tests.mind.speech import ALICE, BOB, MAX_WER, speak, word_error_rate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def voices(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voices")
    return {"alice": speak(ALICE, folder / "alice.wav", "en-us"), "bob": speak(BOB, folder / "bob.wav", "en-gb")}


def test_live_then_final_transcript_of_a_recorded_call(mind, media_server, transcriber, celery_worker, voices):
    cid = mind.create_conference(name="Recorded and transcribed")["id"]
    people = {who: mind.create_participant(cid, name=who.title()) for who in ("alice", "bob")}
    assert mind.patch(f"{cid}/transcription", {"started": True}).status_code == 200
    assert mind.post(f"{cid}/recording/start").status_code == 200
    conference = Conference.objects.get(pk=cid)
    origin_ms = conference.recording_segments[0]["startedAt"]

    async def scenario():
        peers = {who: await MindPeer.join(media_server.session_url(cid, people[who]["token"])) for who in people}
        tracks = {}
        try:
            for who in ("alice", "bob"):
                tracks[who] = SpeechTrack(voices[who], held=True)
                assert (await peers[who].publish(audio_track=tracks[who], video=False))["type"] == "answer"
            # Both microphones listened to before the first word (start-up speed is not the point here).
            deadline = time.monotonic() + 60
            while len(await asyncio.to_thread(forwarded_publishers, conference.janus_room_id, cid)) < 2:
                assert time.monotonic() < deadline, "the transcriber to listen"
                await asyncio.sleep(0.5)
            for track in tracks.values():
                track.speak()
            deadline = time.monotonic() + 180
            while not (all(t.finished for t in tracks.values())
                       and all(len([m for m in peers["alice"].messages if m.get("type") == "created"
                                    and m.get("location", "").startswith("/transcription/utterances/")
                                    and m["resource"]["participantId"] == people[w]["id"]]) >= 3 for w in people)):
                assert time.monotonic() < deadline, "live utterances of both speakers"
                await asyncio.sleep(0.5)
            return [m["resource"] for m in peers["alice"].messages if m.get("type") == "created"
                    and m.get("location", "").startswith("/transcription/utterances/")], tracks
        finally:
            for peer in peers.values():
                await peer.leave()

    live, tracks = asyncio.run(scenario())
    for who in people:
        stamps = [u["timestamp"] for u in live if u["participantId"] == people[who]["id"]]
        assert stamps == sorted(stamps) and len(stamps) >= 3, live
        spoken_ms = (tracks[who].started_at + 1.0) * 1000 - origin_ms  # the WAV's 1 s lead
        assert spoken_ms - 600 <= stamps[0] <= spoken_ms + 1200, (who, spoken_ms, live)
    response = mind.get(f"{cid}/recording/transcription")
    assert response.status_code == 206 and len(response.json()) >= 6  # recording: the live lines so far

    assert mind.post(f"{cid}/recording/stop").status_code == 200
    wait_until(lambda: mind.get(f"{cid}/recording/transcription").status_code == 200, timeout=240,
               message="the final transcript")
    final = mind.get(f"{cid}/recording/transcription").json()
    for who, sentences in (("alice", ALICE), ("bob", BOB)):
        mine = [u for u in final if u["participantId"] == people[who]["id"]]
        assert len(mine) >= len(sentences) - 1, final
        assert word_error_rate(" ".join(sentences), " ".join(u["text"] for u in mine)) < MAX_WER, (who, mine)
        # The final lines sit where the live ones were (same time zero), within the VAD's play.
        first_live = min(u["timestamp"] for u in live if u["participantId"] == people[who]["id"])
        assert abs(mine[0]["timestamp"] - first_live) <= 1000, (who, mine[0], first_live)
