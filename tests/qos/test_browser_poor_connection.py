"""A participant whose sender really loses packets is rated poor and the host sees it: a headless
aiortc peer joins the meeting through the join endpoint and publishes through a transport that drops
every third RTP packet. It sends no samples (like a SIP phone), so the server's own view (Janus's
Admin API; the beat task, run here by hand) measures the loss; the rating turns poor and the host's
room shows "… has a poor connection" in a notice and on the tile."""

import asyncio
import threading

import pytest
from aiortc.rtp import is_rtcp

from qos import rating, tasks
from tests.e2e.room_helpers import orm
from tests.mind.media_peer import MindPeer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("e2e_mind_application")]


def lossy(send_rtp, every: int = 3):
    """A DTLS transport's `_send_rtp` that drops every `every`-th RTP packet (RTCP goes through)."""
    count = 0

    async def send(data: bytes) -> None:
        nonlocal count
        if not is_rtcp(data):
            count += 1
            if count % every == 0:
                return
        await send_rtp(data)

    return send


class LossyPeer(threading.Thread):
    """The aiortc participant, on its own event loop (Playwright's sync API holds the main thread's)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.published = threading.Event()
        self.error: BaseException | None = None
        self.loop = asyncio.new_event_loop()
        self.done: asyncio.Event | None = None

    def run(self):
        self.loop.run_until_complete(self._main())

    async def _main(self):
        self.done = asyncio.Event()
        peer = None
        try:
            peer = await MindPeer.join(self.url)
            reply = await peer.publish()
            assert reply["type"] == "answer", reply
            for sender in peer.publishers["primary"].getSenders():
                sender.transport._send_rtp = lossy(sender.transport._send_rtp)
            self.published.set()
            await self.done.wait()
        except BaseException as exc:  # reported to the test
            self.error = exc
            self.published.set()
        finally:
            if peer is not None:
                await peer.leave()

    def stop(self):
        if self.done is not None:
            self.loop.call_soon_threadsafe(self.done.set)
        self.join(30)


def test_a_lossy_sender_is_rated_poor_and_the_host_sees_it(room_people, joiner, web_server):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()

    larry = joiner()
    answer = orm(larry.join, meeting.pk, name="Lossy Larry")
    if answer.get("state") != "admitted":
        answer = orm(larry.status, meeting.pk)
    assert answer["state"] == "admitted" and answer["participant_token"], answer
    conference_id, larry_id = answer["conference"]["id"], answer["media_participant_id"]
    peer = LossyPeer(f"ws://127.0.0.1:{web_server.port}/mind/{web_server.application_id}/{conference_id}/session"
                     f"?access_token={answer['participant_token']}")
    peer.start()
    try:
        assert peer.published.wait(60) and peer.error is None, peer.error
        host.wait_for_video_of("Lossy Larry")
        for _ in range(20):  # the beat would run this every QOS_SERVER_VIEW_SECONDS
            host.page.wait_for_timeout(3000)
            orm(lambda: tasks.collect_server_view.apply().get())
            if orm(rating.current, larry_id) == "poor":
                break
        assert orm(rating.current, larry_id) == "poor"
        host.page.wait_for_selector(".toast:has-text('Lossy Larry has a poor connection')", timeout=30_000)
        host.wait_for("() => document.querySelector('.tile[data-name=\"Lossy Larry\"]').dataset.quality === 'poor'",
                      message="the host sees Larry's tile marked")
        assert host.tile("Lossy Larry").get_attribute("data-quality") == "poor"
    finally:
        peer.stop()
