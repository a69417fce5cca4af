"""When Janus restarts, sessions notice, the room is re-created and participants re-publish."""

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from mind.engine.janus import Janus, JanusError, VideoRoomAdmin
from mind.models import Conference
from tests.conftest import wait_until
from tests.mind.media_peer import db, media_server, publishing_pair, receives  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def janus_pid(config: Path) -> int | None:
    """The pid of the Janus running with our config (started by `bin/dev test`, or by us)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"janus") and str(config).encode() in argv:
            return int(entry.name)
    return None


def janus_answers() -> bool:
    try:
        return Janus().info()["janus"] == "server_info"
    except JanusError:
        return False


@pytest.fixture(scope="session")
def restart_janus(tmp_path_factory):
    """restart_janus(): kills the test Janus (as a crash would) and starts it again.

    The new Janus keeps running for the tests after this one and is stopped at the session's end.
    """
    folder = Path(os.environ["VAR_DIR"]) / "janus"
    config = folder / "janus.jcfg"
    started = []

    def restart():
        pid = janus_pid(config)
        assert pid is not None, "no Janus running with the test configuration"
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            for proc in started:
                proc.poll()  # reap our own child
            time.sleep(0.05)
        log = open(tmp_path_factory.mktemp("janus") / "janus.log", "w")
        started.append(subprocess.Popen(["janus", "-C", str(config), "-F", str(folder)],
                                        stdout=log, stderr=subprocess.STDOUT))
        wait_until(janus_answers, timeout=30, message="Janus to come back")

    yield restart
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(15)


def room_exists(room_id) -> bool:
    with VideoRoomAdmin() as admin:
        return admin.exists(room_id)


def test_participants_republish_after_a_janus_restart(mind, media_server, restart_janus):
    cid = mind.create_conference(name="restart")["id"]
    room_id = Conference.objects.get(pk=cid).janus_room_id
    alice = mind.create_participant(cid, name="Alice", role="speaker")
    bob = mind.create_participant(cid, name="Bob", role="speaker")

    async def scenario():
        a, b = await publishing_pair(media_server, cid, alice, bob)
        try:
            marks = [len(a.messages), len(b.messages)]
            await asyncio.to_thread(restart_janus)
            for peer, start in zip((a, b), marks):
                await peer.wait_for(lambda m: m.get("type") == "mediaReset", start=start, timeout=30)
                await peer.wait_for(lambda m: m.get("type") == "republish", start=start, timeout=30)
            assert await db(room_exists, room_id)
            for peer in (a, b):
                assert (await peer.publish())["type"] == "answer"
            await a.wait_until(lambda: receives(a, bob["id"]), timeout=30, what="Bob's media after the restart")
            await b.wait_until(lambda: receives(b, alice["id"]), timeout=30, what="Alice's media after the restart")
        finally:
            for peer in (a, b):
                await peer.leave()

    asyncio.run(scenario())
    assert janus_answers()  # later tests find Janus running
