"""With a pool of Janus servers, live transcription listens on whichever server holds the room:
on the second server first, then, once that one dies and the room moves, on the first. Nothing
stored is lost. The forwarders reach the transcriber on a non-loopback address of the namespace
(MIND_RTP_FORWARD_HOST), as they would on a private network."""

import asyncio
import time

import pytest

from mind.models import Conference, Utterance
from tests.conftest import TranscriberProcess
from tests.mind.conftest import janus_servers_setting
from tests.mind.media_peer import MindPeer, SpeechTrack, db
from tests.mind.speech import ALICE, speak

pytestmark = pytest.mark.django_db(transaction=True)

FORWARD_HOST = "10.99.0.1"  # bin/dev test's veth address (docs/testing.md)


@pytest.fixture(scope="module")
def voice(tmp_path_factory):
    return speak(ALICE, tmp_path_factory.mktemp("voices") / "alice.wav", "en-us")


@pytest.fixture(scope="module")
def pool_transcriber(django_db_setup, pool, tmp_path_factory):
    process = TranscriberProcess(tmp_path_factory.mktemp("transcriber-pool"), JANUS_SERVERS=janus_servers_setting(pool),
                                 MIND_RTP_FORWARD_HOST=FORWARD_HOST)
    process.start()
    try:
        yield process
    finally:
        process.stop()


def stored(cid) -> list[tuple[int, str, str]]:
    return list(Utterance.objects.filter(conference_id=cid).order_by("id").values_list("id", "participant_id", "text"))


async def count_at_least(cid, n: int) -> bool:
    return len(await db(stored, cid)) >= n


async def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not await predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.5)


def test_live_transcription_follows_its_room_to_another_server(mind, pool_server, pool_transcriber, pooled,
                                                               second_janus, voice):
    cid = mind.create_conference(name="pool transcription")["id"]
    Conference.objects.filter(pk=cid).update(janus_server="second")
    alice = mind.create_participant(cid, name="Alice")
    assert mind.patch(f"{cid}/transcription", {"started": True}).status_code == 200

    async def scenario():
        peer = await MindPeer.join(pool_server.session_url(cid, alice["token"]))
        try:
            assert (await peer.publish(audio_track=SpeechTrack(voice, loop=True), video=False))["type"] == "answer"
            await wait_for(lambda: count_at_least(cid, 2), 120, "utterances from the second server")
            mark = len(peer.messages)
            await asyncio.to_thread(second_janus.kill)
            before = await db(stored, cid)
            await peer.wait_for(lambda m: m.get("type") == "republish", start=mark, timeout=45)
            assert await db(lambda: Conference.objects.get(pk=cid).janus_server) == "first"
            assert (await peer.publish(audio_track=SpeechTrack(voice, loop=True), video=False))["type"] == "answer"
            await wait_for(lambda: count_at_least(cid, len(before) + 2), 150, "utterances from the first server")
            assert (await db(stored, cid))[:len(before)] == before
        finally:
            await peer.leave()

    try:
        asyncio.run(scenario())
    finally:
        if not second_janus.answers():
            second_janus.start()
    assert pool_transcriber.proc.poll() is None, pool_transcriber.log()[-3000:]
