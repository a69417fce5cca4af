"""Whoever is gone from the media is gone from the meeting: a closed tab or a lost network (longer
than the engine's grace period) counts as leaving, and the last one out ends the meeting."""

import asyncio

import pytest

from meetings.models import Instance, Participant
from tests.conftest import wait_until
from tests.mind.media_peer import GRACE_SECONDS, MindPeer, db
from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def same_application_as_media_server(mind_application, settings):
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN


def status_of(answer) -> str:
    return Participant.objects.get(key=answer["participant_id"]).status


def test_a_dropped_connection_leaves_after_the_grace_period_and_the_last_one_out_ends_it(
        create_meeting, host, joiner, media_server):
    created = create_meeting(password="")
    hosting = joiner(host).join(created["id"])
    guest = joiner().join(created["id"], name="Gus")
    conference_id = hosting["conference"]["id"]

    async def connect(answer):
        peer = await MindPeer.join(media_server.session_url(conference_id, answer["participant_token"]))
        assert (await peer.publish(video=False))["type"] == "answer"
        return peer

    async def scenario():
        host_peer, guest_peer = await connect(hosting), await connect(guest)
        await guest_peer.close_socket()  # the guest's tab is closed: no Leave
        await asyncio.sleep(GRACE_SECONDS / 2)
        # Within the grace period the guest is still in (a reload would resume the same session).
        assert await db(status_of, guest) == Participant.Status.IN_MEETING
        await db(lambda: wait_until(lambda: status_of(guest) == Participant.Status.LEFT,
                                       timeout=GRACE_SECONDS + 15, message="the guest to have left"))
        live = await db(lambda: Instance.objects.get(uuid=hosting["conference"]["instance_uuid"]))
        assert live.is_live  # the host is still there
        await guest_peer.close()

        await host_peer.close_socket()  # the host's network goes away for good
        await db(lambda: wait_until(lambda: status_of(hosting) == Participant.Status.LEFT,
                                       timeout=GRACE_SECONDS + 15, message="the host to have left"))
        await host_peer.close()

    asyncio.run(scenario())
    instance = Instance.objects.get(uuid=hosting["conference"]["instance_uuid"])
    assert not instance.is_live and instance.ended_at
    guest_row = Participant.objects.get(key=guest["participant_id"])
    assert guest_row.left_at and guest_row.left_at <= instance.ended_at


def test_leaving_through_the_engine_is_leaving_the_meeting(create_meeting, host, joiner, media_server):
    created = create_meeting(password="")
    hosting = joiner(host).join(created["id"])
    guest = joiner().join(created["id"], name="Gus")

    async def scenario():
        peer = await MindPeer.join(media_server.session_url(hosting["conference"]["id"], guest["participant_token"]))
        assert await peer.leave() == 1000  # the SDK's exit: offline at once

    asyncio.run(scenario())
    wait_until(lambda: status_of(guest) == Participant.Status.LEFT, timeout=15, message="the guest to have left")
    assert status_of(hosting) == Participant.Status.IN_MEETING
    assert Instance.objects.get(uuid=hosting["conference"]["instance_uuid"]).is_live
