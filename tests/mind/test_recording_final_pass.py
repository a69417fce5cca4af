"""The final pass after a recording stop: real .mjr files of two people speaking known sentences
(espeak-ng → Opus RTP → Janus's pcap2mjr), stop over REST, a real Celery worker transcribes each
participant's audio; GET …/recording/transcription goes 206 → 200 with the final utterances,
attributed and in time order, close to what was said; one M4A per participant is written."""

import json
import subprocess

import pytest

from mind import services
from mind.engine import final_pass
from mind.models import Conference, Utterance
from tests.conftest import wait_until
from tests.mind.conftest import APPLICATION_ID, MindHttp
from tests.mind.speech import ALICE, BOB, MAX_WER, record_voices, word_error_rate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]


def probe(path) -> dict:
    output = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,channels:format=duration",
                             "-of", "json", str(path)], capture_output=True, text=True, check=True).stdout
    return json.loads(output)


def test_stop_runs_the_final_pass_and_the_transcript_completes(celery_worker, mind_application, voices):
    mind = MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)
    cid = mind.create_conference(name="Transcribed")["id"]
    people = {who: mind.create_participant(cid, name=who.title()) for who in ("alice", "bob")}
    assert mind.patch(f"{cid}/transcription", {"started": True}).status_code == 200
    assert mind.post(f"{cid}/recording/start").status_code == 200
    conference = Conference.objects.get(pk=cid)
    started_ms = conference.recording_segments[0]["startedAt"]
    # A live caption, as the transcriber would store it: the final pass replaces it.
    services.add_utterances(conference, [{"participantId": people["alice"]["id"], "timestamp": 1500,
                                          "text": "good morning every one live"}])
    record_voices(services.janus_recordings_dir(cid), people, voices, started_ms / 1000 + 1)

    assert mind.post(f"{cid}/recording/stop").status_code == 200
    response = mind.get(f"{cid}/recording/transcription")
    assert response.status_code == 206 and int(response["Retry-After"]) > 0  # only the live line so far
    wait_until(lambda: mind.get(f"{cid}/recording/transcription").status_code == 200, timeout=180,
               message="the final transcript")

    utterances = mind.get(f"{cid}/recording/transcription").json()
    assert "live" not in " ".join(u["text"] for u in utterances)
    timestamps = [u["timestamp"] for u in utterances]
    assert timestamps == sorted(timestamps)
    for index, (who, sentences) in enumerate((("alice", ALICE), ("bob", BOB))):
        mine = [u for u in utterances if u["participantId"] == people[who]["id"]]
        assert len(mine) == len(sentences), utterances
        # Alice's first packet is 1 s into the recording, Bob's 3 s; each WAV starts with 1 s of silence.
        assert 1900 + 2000 * index <= mine[0]["timestamp"] <= 2600 + 2000 * index, mine
        wer = word_error_rate(" ".join(sentences), " ".join(u["text"] for u in mine))
        assert wer < MAX_WER, (who, wer, mine)

    media = services.recording_media_dir(cid)
    for who in ("alice", "bob"):
        info = probe(media / f"{people[who]['id']}.m4a")
        assert info["streams"][0]["codec_name"] == "aac" and info["streams"][0]["channels"] == 1
        assert float(info["format"]["duration"]) > 12  # on the recording's timeline: starts at 0
    assert json.loads((media / final_pass.TRANSCRIPT_FILE).read_text()) == utterances


def test_without_transcription_only_the_audio_files_are_made(celery_worker, mind_application, voices):
    mind = MindHttp(APPLICATION_ID, mind_application.MIND_APPLICATION_TOKEN)
    cid = mind.create_conference(name="Recorded only")["id"]
    people = {who: mind.create_participant(cid, name=who.title()) for who in ("alice", "bob")}
    assert mind.post(f"{cid}/recording/start").status_code == 200
    started_ms = Conference.objects.get(pk=cid).recording_segments[0]["startedAt"]
    record_voices(services.janus_recordings_dir(cid), people, voices, started_ms / 1000)
    assert mind.post(f"{cid}/recording/stop").status_code == 200
    media = services.recording_media_dir(cid)
    wait_until(lambda: all((media / f"{p['id']}.m4a").exists() for p in people.values()), timeout=180,
               message="the per-participant audio")
    response = mind.get(f"{cid}/recording/transcription")
    assert response.status_code == 200 and response.json() == []
    assert not Utterance.objects.filter(conference_id=cid).exists()
