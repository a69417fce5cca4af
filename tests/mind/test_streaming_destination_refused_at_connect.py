"""The streamer checks a streaming's destination again right before connecting (a name accepted
earlier may resolve to an internal address by then: DNS rebinding). Here the API process allows the
loopback receiver, the streamer does not: it must never connect, and must not retry."""

import subprocess
import sys
import time

import pytest

from mind.models import Streaming
from tests.conftest import ROOT, process_env, wait_until
from tests.mind.media_peer import stop_process
from tests.mind.streaming_helpers import RtmpReceiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def strict_streamer(django_db_setup, tmp_path):
    env = process_env(OUTBOUND_ALLOWED_NETWORKS="", MIND_STREAMING_DIR=str(tmp_path / "work"))
    log_path = tmp_path / "streamer.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "manage.py", "mind_streamer"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = log_path
    try:
        yield proc
    finally:
        stop_process(proc)


def test_a_destination_that_turned_internal_is_refused_at_connect_time(mind, strict_streamer, tmp_path):
    receiver = RtmpReceiver(tmp_path).start()
    try:
        url = receiver.url.replace("127.0.0.1", "localhost")  # a name, resolved at connect time
        cid = mind.create_conference(name="rebinding")["id"]
        created = mind.post(f"{cid}/streamings", {"url": url})
        assert created.status_code == 200, created.content  # this process allows loopback receivers
        log = lambda: strict_streamer.log_path.read_text(errors="replace")  # noqa: E731
        wait_until(lambda: "destination refused" in log(), timeout=60, message="the streamer's refusal")
        time.sleep(5)  # a retry would come within seconds
        assert log().count("destination refused") == 1, log()
        assert "restarting" not in log()
        assert Streaming.objects.get(pk=created.json()["id"]).alive is False
        assert receiver.running and not (receiver.path and receiver.path.exists() and receiver.path.stat().st_size)
    finally:
        receiver.stop()
