"""Live transcription survives restarts: a transcriber process killed mid-call (SIGKILL: its lease
expires, a new process takes the conference over) and a Janus restart (the transcriber re-creates
the room, rejoins, and forwards the republished microphone) both keep every stored utterance and
resume storing new ones from the same speaker."""

import asyncio
import time

import pytest

from mind.models import Utterance
from tests.mind.media_peer import MindPeer, SpeechTrack, db
from tests.mind.speech import ALICE, speak

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def voice(tmp_path_factory):
    return speak(ALICE, tmp_path_factory.mktemp("voices") / "alice.wav", "en-us")


def stored(cid) -> list[tuple[int, str, str]]:
    return list(Utterance.objects.filter(conference_id=cid).order_by("id").values_list("id", "participant_id", "text"))


async def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not await predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.5)


def test_a_killed_transcriber_is_replaced_and_resumes(mind, media_server, transcriber, voice):
    cid = mind.create_conference(name="Transcriber crash")["id"]
    alice = mind.create_participant(cid, name="Alice")
    assert mind.patch(f"{cid}/transcription", {"started": True}).status_code == 200

    async def scenario():
        peer = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            assert (await peer.publish(audio_track=SpeechTrack(voice, loop=True), video=False))["type"] == "answer"
            await wait_for(lambda: _count(cid, 2), 120, "utterances before the crash")
            await asyncio.to_thread(transcriber.kill)
            before = await db(stored, cid)
            await asyncio.to_thread(transcriber.start)
            # The dead process's lease expires (15 s), then the new one takes the conference over.
            await wait_for(lambda: _count(cid, len(before) + 2), 150, "utterances after the restart")
            after = await db(stored, cid)
            assert after[:len(before)] == before  # nothing stored was lost or changed
            assert {str(p) for _, p, _ in after} == {alice["id"]}
        finally:
            await peer.leave()

    asyncio.run(scenario())


def test_a_janus_restart_resumes_live_transcription(mind, media_server, transcriber, restart_janus, voice):
    cid = mind.create_conference(name="Janus crash")["id"]
    alice = mind.create_participant(cid, name="Alice")
    assert mind.patch(f"{cid}/transcription", {"started": True}).status_code == 200

    async def scenario():
        peer = await MindPeer.join(media_server.session_url(cid, alice["token"]))
        try:
            assert (await peer.publish(audio_track=SpeechTrack(voice, loop=True), video=False))["type"] == "answer"
            await wait_for(lambda: _count(cid, 2), 120, "utterances before the Janus restart")
            mark = len(peer.messages)
            await asyncio.to_thread(restart_janus)
            before = await db(stored, cid)
            await peer.wait_for(lambda m: m.get("type") == "republish", start=mark, timeout=45)
            assert (await peer.publish(audio_track=SpeechTrack(voice, loop=True), video=False))["type"] == "answer"
            await wait_for(lambda: _count(cid, len(before) + 2), 150, "utterances after the Janus restart")
            assert (await db(stored, cid))[:len(before)] == before
        finally:
            await peer.leave()

    asyncio.run(scenario())
    assert transcriber.proc.poll() is None, transcriber.log()[-3000:]


async def _count(cid, at_least: int) -> bool:
    return len(await db(stored, cid)) >= at_least
